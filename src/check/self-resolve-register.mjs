// Register ./self-resolve.mjs in this thread (the CLI's main thread, or a worker thread).
import { register } from 'node:module';

register(new URL('./self-resolve.mjs', import.meta.url));
