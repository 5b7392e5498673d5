package io.netsnap.lab.bench;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netsnap.lab.CliDeviceSpec;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * How fast each bench device writes a command's output ({@code --pace}): a rate, like a device on a slow link; a wait
 * after each line, like a slow box that writes its configuration line by line; or both. Written {@code 0} (the lab's
 * pace), {@code 50000} or {@code 50000B/s}, {@code 2ms/line} or {@code 500us/line}, or a rate and a wait separated by
 * a comma ({@code 50000B/s,2ms/line}).
 *
 * @param bytesPerSecond 0 for the lab's rate
 * @param lineDelay      the wait after each line, {@link Duration#ZERO} for none
 */
record Pace(int bytesPerSecond, Duration lineDelay) {

    /** The lab's pace: its usual rate, no wait per line. */
    static final Pace LAB = new Pace(0, Duration.ZERO);

    private static final Pattern RATE = Pattern.compile("(\\d+)(?:B/s)?");
    private static final Pattern PER_LINE = Pattern.compile("(\\d+)(ms|us)/line");
    private static final String FORMS = "give whole bytes per second (50000 or 50000B/s), a wait after each line "
            + "(2ms/line or 500us/line), or both separated by a comma (50000B/s,2ms/line); 0 for the lab's pace";

    Pace {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("bytesPerSecond must not be negative");
        }
        if (lineDelay.isNegative()) {
            throw new IllegalArgumentException("lineDelay must not be negative");
        }
    }

    /** Reads {@code --pace}'s value; the exception's message says what is wrong and what would do. */
    static Pace parse(String text) {
        Integer rate = null;
        Duration perLine = null;
        for (String part : text.split(",", -1)) {
            Matcher matcher;
            if ((matcher = RATE.matcher(part)).matches()) {
                if (rate != null) {
                    throw new IllegalArgumentException("'" + text + "' gives bytes per second twice");
                }
                rate = number(text, matcher.group(1));
            } else if ((matcher = PER_LINE.matcher(part)).matches()) {
                if (perLine != null) {
                    throw new IllegalArgumentException("'" + text + "' gives the wait per line twice");
                }
                ChronoUnit unit = matcher.group(2).equals("ms") ? ChronoUnit.MILLIS : ChronoUnit.MICROS;
                perLine = Duration.of(number(text, matcher.group(1)), unit);
            } else {
                throw new IllegalArgumentException("'" + text + "' is not a pace: " + FORMS);
            }
        }
        return new Pace(rate == null ? 0 : rate, perLine == null ? Duration.ZERO : perLine);
    }

    private static int number(String text, String digits) {
        long value = digits.length() > 10 ? Long.MAX_VALUE : Long.parseLong(digits);
        if (value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("'" + text + "': " + digits + " is too large (at most "
                    + Integer.MAX_VALUE + ")");
        }
        return (int) value;
    }

    /** The device as this pace makes it. */
    CliDeviceSpec applyTo(CliDeviceSpec spec) {
        return spec.withOutputRate(bytesPerSecond).withLineDelay(lineDelay);
    }

    /** For the bench's header: {@code at the lab's pace}, {@code 50000 bytes/s, 2 ms after each line}. */
    String describe() {
        String rate = bytesPerSecond == 0 ? "at the lab's pace" : bytesPerSecond + " bytes/s";
        if (lineDelay.isZero()) {
            return rate;
        }
        long micros = lineDelay.toNanos() / 1000;
        return rate + String.format(Locale.ROOT, ", %s after each line",
                micros % 1000 == 0 ? micros / 1000 + " ms" : micros + " us");
    }

    /** picocli's converter for {@code --pace}: a value it cannot read is a usage error that says why. */
    static final class Converter implements ITypeConverter<Pace> {

        @Override
        public Pace convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
