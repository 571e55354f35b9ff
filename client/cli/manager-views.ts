/** Moved to client/views.ts (shared by the API and the bench); kept for the bench's import. */
export * from '../views';
