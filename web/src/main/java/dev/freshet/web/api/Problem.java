package dev.freshet.web.api;

/** RFC 9457 problem details ({@code application/problem+json}). {@code detail} says what to do about it. */
public record Problem(String type, String title, int status, String detail) {
    public static final String MEDIA_TYPE = "application/problem+json";

    /**
     * Answers {@code status} with a problem document straight on a servlet response, for what answers outside JAX-RS
     * (the authentication mechanism, the error page, file downloads): the same document {@link ProblemMapper} gives.
     */
    public static void write(jakarta.servlet.http.HttpServletResponse response, int status, String title, String detail) {
        response.setStatus(status);
        response.setContentType(MEDIA_TYPE);
        response.setCharacterEncoding("UTF-8");
        try {
            response.getWriter().write(jakarta.json.Json.createObjectBuilder().add("type", "about:blank")
                    .add("title", title).add("status", status).add("detail", detail).build().toString());
        } catch (java.io.IOException clientGone) {
            // the status line says it all
        }
    }
}
