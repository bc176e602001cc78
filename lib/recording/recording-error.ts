/** A problem with the recordings (a file, the index, what they were given); the message starts with `recording:`. */
export class RecordingError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message.startsWith('recording:') ? message : `recording: ${message}`, options);
    this.name = 'RecordingError';
  }
}
