package dev.fleetgate.agents.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

/** Wraps a DataSource and records every SQL text prepared or executed through it. */
final class StatementLog {
    final List<String> statements = new CopyOnWriteArrayList<>();

    DataSource wrap(DataSource target) {
        return (DataSource) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, m, args) -> {
                    Object r = invoke(target, m, args);
                    return r instanceof Connection c ? connection(c) : r;
                });
    }

    private Connection connection(Connection target) {
        InvocationHandler h = (proxy, m, args) -> {
            if ((m.getName().startsWith("prepare")) && args != null && args[0] instanceof String sql) {
                statements.add(sql);
            }
            if (m.getName().equals("createStatement")) {
                statements.add("<statement>");
            }
            return invoke(target, m, args);
        };
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class}, h);
    }

    private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** @return the recorded statements that are not plain SELECTs */
    List<String> writes() {
        return statements.stream()
                .filter(s -> !s.stripLeading().toUpperCase().startsWith("SELECT"))
                .toList();
    }
}
