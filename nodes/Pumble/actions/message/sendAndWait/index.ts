export { sendAndWaitDescription, sendAndWaitWebhooks } from './description';
export { sendAndWait } from './execute';
export { sendAndWaitWebhook } from './webhook';
