/** Mocha root hooks: close the shared test database once every file has run. */
import { closeTestDatabase } from "./db.ts";

export const mochaHooks = {
  async afterAll() {
    await closeTestDatabase();
  },
};
