package dev.freshet.web.api;

/** RFC 9457 problem details ({@code application/problem+json}). {@code detail} says what to do about it. */
public record Problem(String type, String title, int status, String detail) {
    public static final String MEDIA_TYPE = "application/problem+json";
}
