package io.netsnap.workflow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Camunda forms as Tasklist renders them: {@code src/test/forms/fill-form.mjs} draws a form with form-js (the
 * version Tasklist 8.6 pins) in headless Chromium, performs a person's steps on it, presses Complete, and reports
 * what the form submitted or the messages it showed instead. One Node process and one browser per call.
 *
 * <p>Nothing here is optional: without Chromium, Node or the pinned npm packages, {@link #requireProvisioned()}
 * fails, saying how to install them ({@code ./test} does it).
 */
final class BrowserForms {

    static final Path FORMS = Path.of("forms");
    static final Path SCRIPT_DIR = Path.of("src", "test", "forms");
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    private static final long TIMEOUT_SECONDS = 120;
    private static final ObjectMapper JSON = new ObjectMapper();

    private BrowserForms() {
    }

    /** What a person does on one field, found by the label the form shows. */
    record Step(Map<String, String> action) {

        /** Clears the text field or area labelled {@code label}, then types {@code text}. */
        static Step type(String label, String text) {
            return new Step(Map.of("fill", label, "text", text));
        }

        /** Clicks the option labelled {@code option} of the radio group labelled {@code label}. */
        static Step choose(String label, String option) {
            return new Step(Map.of("choose", label, "option", option));
        }

        /** Clicks the checkbox labelled {@code label}. */
        static Step tick(String label) {
            return new Step(Map.of("check", label));
        }
    }

    /** A message the form showed next to a field. */
    record Shown(String field, String message) {
    }

    /**
     * One press of Complete after some steps.
     *
     * @param submitted whether form-js submitted (no validation error)
     * @param data      what it submitted (the task's completion or the instance's start variables), else empty
     * @param errors    the messages shown next to fields
     * @param text      the form's text as shown after the press
     */
    record Attempt(boolean submitted, Map<String, Object> data, List<Shown> errors, String text) {
    }

    /**
     * What happened to a form.
     *
     * @param formJs     the form-js version that rendered it
     * @param warnings   form-js's import warnings
     * @param text       the form's text as first shown (after the first press when there was one)
     * @param attempts   one per press of Complete, up to the first that submitted
     * @param pageErrors errors and warnings the page logged (a FEEL expression form-js could not evaluate, ...)
     */
    record Filled(String formJs, List<String> warnings, String text, List<Attempt> attempts, List<String> pageErrors) {

        /** The last attempt, which must have submitted; its data. */
        Map<String, Object> submitted() {
            Attempt last = attempts.get(attempts.size() - 1);
            if (!last.submitted()) {
                throw new AssertionError("the form did not submit; it showed " + last.errors());
            }
            return last.data();
        }
    }

    /** Fails, saying how to install them, when Chromium, Node or the npm packages of {@link #SCRIPT_DIR} are absent. */
    static void requireProvisioned() {
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(CHROMIUM)) {
            missing.add("Chromium at " + CHROMIUM + " (Debian package chromium)");
        }
        if (!onPath("node")) {
            missing.add("node (Debian package nodejs)");
        }
        if (!Files.isDirectory(SCRIPT_DIR.resolve("node_modules").resolve("@bpmn-io").resolve("form-js"))
                || !Files.isDirectory(SCRIPT_DIR.resolve("node_modules").resolve("puppeteer-core"))) {
            missing.add("the npm packages of " + SCRIPT_DIR + " (form-js, puppeteer-core)");
        }
        if (!missing.isEmpty()) {
            throw new AssertionError("The form tests render every form in a browser and need: "
                    + String.join("; ", missing) + ". ./test installs them (as root; otherwise it prints the command),"
                    + " or: apt-get install -y chromium nodejs npm && (cd " + SCRIPT_DIR
                    + " && npm ci --ignore-scripts)");
        }
    }

    /** The ids of the forms in {@link #FORMS}, from their file names. */
    static List<String> formIds() {
        try (Stream<Path> files = Files.list(FORMS)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".form"))
                    .map(n -> n.substring(0, n.length() - ".form".length())).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Renders {@code forms/<formId>.form} with {@code variables} (what the task shows), then for each attempt performs
     * its steps and presses Complete, until one submits.
     */
    static Filled fill(String formId, Map<String, Object> variables, List<List<Step>> attempts) {
        Path form = FORMS.resolve(formId + ".form").toAbsolutePath();
        if (!Files.isRegularFile(form)) {
            throw new AssertionError("no form " + form);
        }
        Map<String, Object> scenario = new LinkedHashMap<>();
        scenario.put("form", form.toString());
        scenario.put("variables", variables);
        scenario.put("attempts", attempts.stream().map(steps -> Map.of("steps", steps.stream().map(Step::action)
                .toList())).toList());
        try {
            Path file = Files.createTempFile("netsnap-form-scenario", ".json");
            Path out = Files.createTempFile("netsnap-form-result", ".json");
            Path err = Files.createTempFile("netsnap-form-errors", ".txt");
            try {
                JSON.writeValue(file.toFile(), scenario);
                Process node = new ProcessBuilder("node", "fill-form.mjs", file.toAbsolutePath().toString())
                        .directory(SCRIPT_DIR.toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!node.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    node.destroyForcibly();
                    throw new AssertionError("fill-form.mjs did not finish within " + TIMEOUT_SECONDS + " s for "
                            + formId);
                }
                if (node.exitValue() != 0) {
                    throw new AssertionError("fill-form.mjs failed for " + formId + " (exit " + node.exitValue()
                            + "): " + Files.readString(err, StandardCharsets.UTF_8).strip());
                }
                return JSON.readValue(out.toFile(), Filled.class);
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while filling " + formId, e);
        }
    }

    private static boolean onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(java.io.File.pathSeparator)).filter(dir -> !dir.isEmpty())
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }
}
