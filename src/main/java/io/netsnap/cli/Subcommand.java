package io.netsnap.cli;

import java.util.concurrent.Callable;

/**
 * A {@code netsnap} sub-command that lives outside this package: {@code netsnap lab}, whose simulators the product
 * never imports. An implementation is a picocli {@code @Command} class with a public no-argument constructor, named
 * in {@code META-INF/services/io.netsnap.cli.Subcommand}; {@link NetsnapCommand} finds it there. It may use
 * {@link SpringSettings} as a mixin and {@link OneShotRun} to run a backup.
 */
public interface Subcommand extends Callable<Integer> {
}
