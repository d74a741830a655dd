package org.geopigeon.app.serve.process;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a process description says about a process (OGC 18-062r2 clause 7.10).
 *
 * @param id          process identifier (the path segment of {@code /processes/{id}})
 * @param version     version of the process
 * @param title       short title
 * @param description what it does
 * @param keywords    keywords
 * @param inputs      inputs in description order
 * @param outputs     outputs in description order
 */
public record ProcessSpec(String id, String version, String title, String description, List<String> keywords,
                          List<InputSpec> inputs, List<OutputSpec> outputs) {

    public ProcessSpec {
        Objects.requireNonNull(id, "id");
        keywords = List.copyOf(keywords);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /** The input with this id; empty when the process has none of that name. */
    public Optional<InputSpec> input(String inputId) {
        return inputs.stream().filter(i -> i.id().equals(inputId)).findFirst();
    }

    /** The output with this id; empty when the process has none of that name. */
    public Optional<OutputSpec> output(String outputId) {
        return outputs.stream().filter(o -> o.id().equals(outputId)).findFirst();
    }

    /** "a, b and c": the input ids, for error messages. */
    public String inputNames() {
        return names(inputs.stream().map(InputSpec::id).toList());
    }

    /** "a, b and c": the output ids, for error messages. */
    public String outputNames() {
        return names(outputs.stream().map(OutputSpec::id).toList());
    }

    private static String names(List<String> ids) {
        if (ids.size() <= 1) {
            return String.join("", ids);
        }
        return String.join(", ", ids.subList(0, ids.size() - 1)) + " and " + ids.get(ids.size() - 1);
    }
}
