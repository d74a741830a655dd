package org.geopigeon.app.serve.viewer;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One Rule of an SLD 1.0 style, reduced to what the map viewer draws: the attribute range its Filter selects
 * and the symbolizer's colours and sizes.
 *
 * @param name        Rule Name
 * @param title       Rule Title (the legend text)
 * @param property    the filtered attribute (probability, confidence, rank), or null for a rule without a range
 * @param min         lower bound, inclusive ({@code PropertyIsGreaterThanOrEqualTo}), or null
 * @param max         upper bound, exclusive ({@code PropertyIsLessThan}), or null
 * @param equals      {@code PropertyIsEqualTo} value, or null
 * @param fill        fill colour {@code #rrggbb}, or null
 * @param fillOpacity fill opacity, or null
 * @param stroke      stroke colour, or null
 * @param strokeWidth stroke width in pixels, or null
 * @param dashArray   stroke dash pattern, or null
 * @param size        point symbol size in pixels, or null
 * @param mark        point symbol shape (circle, square), or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SldRule(String name, String title, String property, Double min, Double max, Double equals, String fill,
                      Double fillOpacity, String stroke, Double strokeWidth, String dashArray, Double size,
                      String mark) {

    /** Whether a feature with {@code value} of {@link #property()} falls in this rule. */
    public boolean matches(double value) {
        return (min == null || value >= min) && (max == null || value < max) && (equals == null || value == equals);
    }
}
