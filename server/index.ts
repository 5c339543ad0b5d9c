// Public face of the HTTP server: the app factory and its OpenAPI document.
export { createApp, DEFAULT_HOSTS, type AppDeps } from './create-app';
export { openApiDocument, COMPONENTS } from './openapi';
