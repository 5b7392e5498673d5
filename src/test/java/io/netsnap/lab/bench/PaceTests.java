package io.netsnap.lab.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.netsnap.cli.NetsnapCommand;
import io.netsnap.lab.CliDeviceSpec;
import picocli.CommandLine;

/** {@code netsnap bench --pace}: what it accepts, what it refuses and why, and what it makes of a device. */
class PaceTests {

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "0; 0; 0",
            "50000; 50000; 0",
            "50000B/s; 50000; 0",
            "0B/s; 0; 0",
            "2ms/line; 0; 2000",
            "500us/line; 0; 500",
            "0ms/line; 0; 0",
            "50000B/s,1ms/line; 50000; 1000",
            "1ms/line,50000; 50000; 1000",
            "2147483647B/s; 2147483647; 0"})
    void readsARateAWaitPerLineOrBoth(String text, int bytesPerSecond, long micros) {
        Pace pace = Pace.parse(text);

        assertThat(pace.bytesPerSecond()).isEqualTo(bytesPerSecond);
        assertThat(pace.lineDelay()).isEqualTo(Duration.ofNanos(micros * 1000));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "fast | 'fast' is not a pace: give whole bytes per second (50000 or 50000B/s), a wait after each line "
                    + "(2ms/line or 500us/line), or both separated by a comma (50000B/s,2ms/line); 0 for the lab's "
                    + "pace",
            "-5 | '-5' is not a pace: give",
            "50KB/s | '50KB/s' is not a pace: give",
            "50000b/s | '50000b/s' is not a pace: give",
            "2ms | '2ms' is not a pace: give",
            "2 ms/line | '2 ms/line' is not a pace: give",
            "1.5ms/line | '1.5ms/line' is not a pace: give",
            "2s/line | '2s/line' is not a pace: give",
            "50000, | '50000,' is not a pace: give",
            "\"  \" | '  ' is not a pace: give",
            "1000,2000B/s | '1000,2000B/s' gives bytes per second twice",
            "1ms/line,500us/line | '1ms/line,500us/line' gives the wait per line twice",
            "2147483648 | '2147483648': 2147483648 is too large (at most 2147483647)",
            "99999999999999999999ms/line | '99999999999999999999ms/line': 99999999999999999999 is too large "
                    + "(at most 2147483647)"})
    void refusesAnythingElseAndSaysWhatWouldDo(String text, String message) {
        assertThatThrownBy(() -> Pace.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void theCommandLineTakesThePaceAndDefaultsToTheLabs() {
        assertThat(parse().pace).isEqualTo(Pace.LAB);
        assertThat(parse("--pace", "50000").pace).isEqualTo(new Pace(50000, Duration.ZERO));
        assertThat(parse("--pace=50000B/s,2ms/line").pace).isEqualTo(new Pace(50000, Duration.ofMillis(2)));
    }

    @Test
    void aBadPaceIsAUsageErrorThatSaysWhy() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exit = NetsnapCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), "bench", "--pace",
                "2ms");

        assertThat(exit).isEqualTo(NetsnapCommand.CONFIG_ERROR);
        assertThat(err.toString()).contains("Invalid value for option '--pace': '2ms' is not a pace: give whole "
                + "bytes per second (50000 or 50000B/s)");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void theHeaderSaysThePace() {
        assertThat(Pace.LAB.describe()).isEqualTo("at the lab's pace");
        assertThat(Pace.parse("50000").describe()).isEqualTo("50000 bytes/s");
        assertThat(Pace.parse("2ms/line").describe()).isEqualTo("at the lab's pace, 2 ms after each line");
        assertThat(Pace.parse("50000B/s,500us/line").describe()).isEqualTo("50000 bytes/s, 500 us after each line");
        assertThat(Pace.parse("1500us/line").describe()).isEqualTo("at the lab's pace, 1500 us after each line");
    }

    @Test
    void theFleetsDevicesGetTheRateAndTheWaitPerLine() {
        Fleet fleet = new Fleet(2, 1, Pace.parse("50000B/s,2ms/line"), null);

        for (var device : fleet.labDevices()) {
            CliDeviceSpec spec = device.tuning().apply(CliDeviceSpec.of("ios", device.name(), "netsnap", "secret",
                    device.configBody()));
            assertThat(spec.outputRate()).isEqualTo(50000);
            assertThat(spec.lineDelay()).isEqualTo(Duration.ofMillis(2));
        }
    }

    private static BenchCommand parse(String... args) {
        BenchCommand command = new BenchCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }
}
