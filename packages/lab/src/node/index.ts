// @bss2/lab/node: serving the built site from Node (`bss2 lab`, the browser tests, the benchmark).
export { serveSite, siteDirectory, resolveInside, MIME_TYPES, SiteNotBuiltError, type ServeOptions, type SiteServer } from './serve.js';
