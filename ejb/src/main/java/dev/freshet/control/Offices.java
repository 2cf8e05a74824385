package dev.freshet.control;

import java.util.regex.Pattern;

/** Office names: short, printable, no separators, so they fit policies ({@code offices:a,b}) and logs. */
public final class Offices {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private Offices() {
    }

    public static String requireValid(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidRequestException("office name '" + name
                    + "' is not valid: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return name;
    }
}
