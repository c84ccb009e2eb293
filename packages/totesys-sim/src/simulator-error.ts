/**
 * A request the simulator cannot carry out as asked.
 *
 * Invalid options, a database that is not empty, a database that has not been seeded. The message
 * says what to do; `cause` holds the underlying error when there is one.
 */
export class SimulatorError extends Error {
  override readonly name = 'SimulatorError';
}
