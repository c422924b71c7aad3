package io.worldmesh.flags;

import java.util.function.Function;
import java.util.function.Predicate;

/** How an evaluation of one OpenFeature type reads a flag's default value, or why it cannot. */
record ValueReader<T>(String typeName, Predicate<FlagDefinition> canRead, Function<Object, T> convert) {

    static final ValueReader<Boolean> BOOLEAN = new ValueReader<>("boolean",
            flag -> flag.type() == VariantType.BOOLEAN, Boolean.class::cast);
    static final ValueReader<String> STRING = new ValueReader<>("string",
            flag -> flag.type() == VariantType.STRING, String.class::cast);
    static final ValueReader<Integer> INTEGER = new ValueReader<>("integer",
            flag -> flag.type() == VariantType.INTEGER && fitsInt(flag), value -> Math.toIntExact((Long) value));
    static final ValueReader<Long> LONG = new ValueReader<>("long",
            flag -> flag.type() == VariantType.INTEGER, Long.class::cast);
    /** Integer flags widen to double, as a JSON number is a number; doubles never narrow to integers. */
    static final ValueReader<Double> DOUBLE = new ValueReader<>("double",
            flag -> flag.type() == VariantType.DOUBLE || flag.type() == VariantType.INTEGER,
            value -> ((Number) value).doubleValue());

    String mismatch(FlagDefinition flag) {
        if (flag.type() == VariantType.INTEGER && this == INTEGER) {
            return "flag '" + flag.key() + "' resolves to " + flag.defaultValue()
                    + ", beyond the int range; evaluate it as a long";
        }
        return "flag '" + flag.key() + "' holds " + flag.type().label() + " variants, not " + typeName;
    }

    private static boolean fitsInt(FlagDefinition flag) {
        long value = (Long) flag.defaultValue();
        return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE;
    }
}
