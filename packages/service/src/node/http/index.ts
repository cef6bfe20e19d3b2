// The HTTP API of batch jobs and sweeps, its server and its client.
export { createJobsApi, DEFAULT_MAX_BODY_BYTES, RequestBodyError, type JobsApiOptions } from './jobs-api.js';
export { serveJobsApi, type JobsApiServer, type ServeJobsApiOptions } from './serve-jobs-api.js';
export { JobsApiError, JobsHttpClient, type JobsHttpClientOptions } from './client.js';
