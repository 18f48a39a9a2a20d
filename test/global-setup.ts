// Replaced by the broker harness; placeholder so unit tests run while it is written.
export default async function setup() {}
