<?xml version="1.0" encoding="UTF-8"?>
<!--
  GeoPigeon: where the photo's EXIF GPS says it was taken vs. where the model puts it.
  Layer: geopigeon.predicted_points (default geometry geom = the estimate), plus
    exif_geom  (Point, EPSG:4326, NULL when the image carried no GPS)
    error_line (MultiLineString, EPSG:4326, estimate -> EXIF point the short way, split at +-180 when it
                crosses the antimeridian; NULL without GPS)
  Symbolizers pick those columns with <Geometry><ogc:PropertyName>, which is plain SLD 1.0.
-->
<StyledLayerDescriptor version="1.0.0"
    xmlns="http://www.opengis.net/sld"
    xmlns:ogc="http://www.opengis.net/ogc"
    xmlns:xlink="http://www.w3.org/1999/xlink"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.opengis.net/sld http://schemas.opengis.net/sld/1.0.0/StyledLayerDescriptor.xsd">
  <NamedLayer>
    <Name>predicted_points</Name>
    <UserStyle>
      <Name>geopigeon_exif_vs_estimate</Name>
      <Title>GeoPigeon estimate vs. EXIF GPS</Title>
      <Abstract>For photos that carried GPS in their EXIF: the EXIF position (green square), the model's estimate (red circle) and a dashed line showing the error between them. Photos without GPS show only the estimate.</Abstract>
      <FeatureTypeStyle>
        <Name>error_lines</Name>
        <Rule>
          <Name>error_line</Name>
          <Title>Error (estimate to EXIF GPS)</Title>
          <ogc:Filter>
            <ogc:Not>
              <ogc:PropertyIsNull>
                <ogc:PropertyName>error_line</ogc:PropertyName>
              </ogc:PropertyIsNull>
            </ogc:Not>
          </ogc:Filter>
          <LineSymbolizer>
            <Geometry>
              <ogc:PropertyName>error_line</ogc:PropertyName>
            </Geometry>
            <Stroke>
              <CssParameter name="stroke">#525252</CssParameter>
              <CssParameter name="stroke-width">1.5</CssParameter>
              <CssParameter name="stroke-dasharray">6 3</CssParameter>
            </Stroke>
          </LineSymbolizer>
        </Rule>
      </FeatureTypeStyle>
      <FeatureTypeStyle>
        <Name>exif_points</Name>
        <Rule>
          <Name>exif_gps</Name>
          <Title>EXIF GPS position</Title>
          <ogc:Filter>
            <ogc:Not>
              <ogc:PropertyIsNull>
                <ogc:PropertyName>exif_geom</ogc:PropertyName>
              </ogc:PropertyIsNull>
            </ogc:Not>
          </ogc:Filter>
          <PointSymbolizer>
            <Geometry>
              <ogc:PropertyName>exif_geom</ogc:PropertyName>
            </Geometry>
            <Graphic>
              <Mark>
                <WellKnownName>square</WellKnownName>
                <Fill>
                  <CssParameter name="fill">#1a9850</CssParameter>
                </Fill>
                <Stroke>
                  <CssParameter name="stroke">#ffffff</CssParameter>
                  <CssParameter name="stroke-width">1.5</CssParameter>
                </Stroke>
              </Mark>
              <Size>14</Size>
            </Graphic>
          </PointSymbolizer>
        </Rule>
      </FeatureTypeStyle>
      <FeatureTypeStyle>
        <Name>estimates</Name>
        <Rule>
          <Name>estimate</Name>
          <Title>GeoPigeon estimate</Title>
          <PointSymbolizer>
            <Geometry>
              <ogc:PropertyName>geom</ogc:PropertyName>
            </Geometry>
            <Graphic>
              <Mark>
                <WellKnownName>circle</WellKnownName>
                <Fill>
                  <CssParameter name="fill">#d73027</CssParameter>
                </Fill>
                <Stroke>
                  <CssParameter name="stroke">#ffffff</CssParameter>
                  <CssParameter name="stroke-width">1.5</CssParameter>
                </Stroke>
              </Mark>
              <Size>14</Size>
            </Graphic>
          </PointSymbolizer>
        </Rule>
      </FeatureTypeStyle>
    </UserStyle>
  </NamedLayer>
</StyledLayerDescriptor>
