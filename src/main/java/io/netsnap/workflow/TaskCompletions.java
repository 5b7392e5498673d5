package io.netsnap.workflow;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.netsnap.archive.Archive;

/**
 * netsnap's own record of who completed which user task: {@code <archive root>/state/task-completions.jsonl}, one
 * {@link TaskCompletion} a line, appended and forced to disk before the engine is asked to complete the task. A
 * check that must know who completed a task reads it here by the {@code completionId} the completion carries.
 */
@Component
class TaskCompletions {

    static final String FILE = "task-completions.jsonl";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    TaskCompletions(Archive archive) {
        this.file = archive.root().resolve("state").resolve(FILE);
    }

    Path file() {
        return file;
    }

    synchronized void append(TaskCompletion completion) {
        try {
            Files.createDirectories(file.getParent());
            byte[] line = (JSON.writeValueAsString(completion) + "\n").getBytes(StandardCharsets.UTF_8);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                ByteBuffer buffer = ByteBuffer.wrap(line);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
        } catch (IOException e) {
            throw new TaskException(TaskException.Code.FAILED, "cannot record the completion in " + file + ": "
                    + e.getMessage());
        }
    }

    /** Every recorded completion, oldest first. */
    synchronized List<TaskCompletion> all() {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            List<TaskCompletion> all = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    all.add(JSON.readValue(line, TaskCompletion.class));
                }
            }
            return all;
        } catch (IOException e) {
            throw new TaskException(TaskException.Code.FAILED, "cannot read " + file + ": " + e.getMessage());
        }
    }

    /**
     * The latest completion recorded for one of {@code elementIds} in the instance: who decided last, and what.
     */
    Optional<TaskCompletion> latest(long processInstanceKey, java.util.Set<String> elementIds) {
        List<TaskCompletion> all = all();
        for (int i = all.size() - 1; i >= 0; i--) {
            TaskCompletion completion = all.get(i);
            if (completion.processInstanceKey() == processInstanceKey && elementIds.contains(completion.elementId())) {
                return Optional.of(completion);
            }
        }
        return Optional.empty();
    }

    /** The completion recorded under this id, if any. */
    Optional<TaskCompletion> byId(String completionId) {
        return all().stream().filter(c -> c.completionId().equals(completionId)).findFirst();
    }
}
