package io.hookline.storage;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.TokenStreamFactory;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;

import java.io.IOException;
import java.math.BigDecimal;

/**
 * Writes numbers as a JavaScript server does: plain decimals between 1e-6 and 1e21, exponent notation only outside.
 * Java writes {@code 1796012952.512949} as {@code 1.796012952512949E9}: valid JSON, but no Pryv server writes it and
 * people read timestamps. Installed on every mapper Hookline writes JSON with (answers, notifications, stored JSON).
 */
final class PlainNumbers extends JsonGeneratorDelegate {
    private static final double PLAIN_MIN = 1e-6;
    private static final double PLAIN_MAX = 1e21;

    private PlainNumbers(JsonGenerator d) {
        // false: objects written through this generator come back to it, so their numbers are written here too.
        super(d, false);
    }

    static JsonGenerator decorate(TokenStreamFactory factory, JsonGenerator generator) {
        return new PlainNumbers(generator);
    }

    @Override
    public void writeNumber(double v) throws IOException {
        if (needsPlain(v)) delegate.writeNumber(new BigDecimal(Double.toString(v)).toPlainString());
        else delegate.writeNumber(v);
    }

    @Override
    public void writeNumber(float v) throws IOException {
        writeNumber((double) v);
    }

    @Override
    public void writeNumber(BigDecimal v) throws IOException {
        if (v != null && needsPlain(v.doubleValue())) delegate.writeNumber(v.toPlainString());
        else delegate.writeNumber(v);
    }

    private static boolean needsPlain(double v) {
        double abs = Math.abs(v);
        return abs >= PLAIN_MIN && abs < PLAIN_MAX;
    }
}
