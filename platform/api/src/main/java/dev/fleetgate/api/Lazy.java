package dev.fleetgate.api;

import java.util.function.Supplier;

/**
 * A value got on first use and kept. Whiteboards bind their services as {@code ComponentServiceObjects} and get
 * each only when they use it ({@code Lazy.once(objects::getService)}), so that a service may reference the
 * whiteboard back without a DS cycle (CONTRIBUTING, "DS cycles").
 */
public final class Lazy {
    private Lazy() {}

    /** @return a supplier that calls {@code get} until it gives a non-null value, then answers that value */
    public static <T> Supplier<T> once(Supplier<T> get) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = get.get();
                }
                return value;
            }
        };
    }
}
