export { freePort } from '../../worker/free-port';
