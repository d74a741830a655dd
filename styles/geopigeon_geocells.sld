<?xml version="1.0" encoding="UTF-8"?>
<!--
  GeoPigeon: the model's geocells (the classes it predicts) as outlines, labelled by name when zoomed in.
  Layer: geopigeon.geocells (MultiPolygon, EPSG:4326). Column used: name.
-->
<StyledLayerDescriptor version="1.0.0"
    xmlns="http://www.opengis.net/sld"
    xmlns:ogc="http://www.opengis.net/ogc"
    xmlns:xlink="http://www.w3.org/1999/xlink"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.opengis.net/sld http://schemas.opengis.net/sld/1.0.0/StyledLayerDescriptor.xsd">
  <NamedLayer>
    <Name>geocells</Name>
    <UserStyle>
      <Name>geopigeon_geocells</Name>
      <Title>GeoPigeon geocells</Title>
      <Abstract>Outlines of the semantic geocells the model chooses between; cell names appear at scales larger than 1:5,000,000.</Abstract>
      <!-- Outline and label share a rule: MapServer drops a layer whose SLD has a text-only rule. -->
      <FeatureTypeStyle>
        <Name>outlines</Name>
        <Rule>
          <Name>geocell</Name>
          <Title>Geocell</Title>
          <MinScaleDenominator>5000000</MinScaleDenominator>
          <PolygonSymbolizer>
            <Stroke>
              <CssParameter name="stroke">#3f6fb5</CssParameter>
              <CssParameter name="stroke-width">1</CssParameter>
            </Stroke>
          </PolygonSymbolizer>
        </Rule>
        <Rule>
          <Name>geocell_labelled</Name>
          <Title>Geocell (named when zoomed in)</Title>
          <MaxScaleDenominator>5000000</MaxScaleDenominator>
          <PolygonSymbolizer>
            <Stroke>
              <CssParameter name="stroke">#3f6fb5</CssParameter>
              <CssParameter name="stroke-width">1</CssParameter>
            </Stroke>
          </PolygonSymbolizer>
          <TextSymbolizer>
            <Label>
              <ogc:PropertyName>name</ogc:PropertyName>
            </Label>
            <Font>
              <CssParameter name="font-family">DejaVu Sans</CssParameter>
              <CssParameter name="font-size">11</CssParameter>
            </Font>
            <LabelPlacement>
              <PointPlacement>
                <AnchorPoint>
                  <AnchorPointX>0.5</AnchorPointX>
                  <AnchorPointY>0.5</AnchorPointY>
                </AnchorPoint>
              </PointPlacement>
            </LabelPlacement>
            <Halo>
              <Radius>1.5</Radius>
              <Fill>
                <CssParameter name="fill">#ffffff</CssParameter>
              </Fill>
            </Halo>
            <Fill>
              <CssParameter name="fill">#1f3f75</CssParameter>
            </Fill>
          </TextSymbolizer>
        </Rule>
      </FeatureTypeStyle>
    </UserStyle>
  </NamedLayer>
</StyledLayerDescriptor>
