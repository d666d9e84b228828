// Replaced by the database-starting setup once the integration harness lands.
export default function setup(): void {}
