/** A problem with the event store or what it was given; the message starts with `events:` and names the file or the field. */
export class EventStoreError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message.startsWith('events:') ? message : `events: ${message}`, options);
    this.name = 'EventStoreError';
  }
}
