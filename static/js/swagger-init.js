// Starts Swagger UI on /docs (a file of its own: the site's Content-Security-Policy allows no
// inline scripts). SwaggerUIBundle comes from the vendored bundle loaded just before.
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
});
