// Public face of the HTTP server: the app factory and its OpenAPI document.
export { createApp, DEFAULT_HOSTS, type AppDeps, type LineageApp } from './create-app';
export { openApiDocument, COMPONENTS } from './openapi';
