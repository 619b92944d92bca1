/** The application under test, built like main.ts does but on the shared test database. */
import pino from "pino";
import request from "supertest";
import { createApp, type App } from "../../src/app.ts";
import { loadConfig, type Config } from "../../src/config.ts";
import { resetDatabase, testDatabase } from "./db.ts";

export const EC = "77777777777";
export const OTHER_EC = "88888888888";
export const UNSERVED_EC = "99999999999";
export const BROKER = "77777777777";
export const STATION = "77777777777_01";
export const ADMIN_KEY = "admin-key-for-tests-0001";
export const EC_KEY = "ec-key-77777777777-0001";
export const OTHER_EC_KEY = "ec-key-88888888888-0001";

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    ORGANIZATIONS: `${EC},${OTHER_EC}`,
    ORGANIZATION_API_KEYS: `${EC}:${EC_KEY},${OTHER_EC}:${OTHER_EC_KEY}`,
    ADMIN_API_KEY: ADMIN_KEY,
    BROKER_ID: BROKER,
    STATION_ID: STATION,
    LOG_LEVEL: "silent",
    ...env,
  });
}

export interface TestApp {
  app: App;
  config: Config;
  http: ReturnType<typeof request>;
}

/** A fresh app on an emptied database. */
export async function startApp(env: Record<string, string> = {}): Promise<TestApp> {
  await resetDatabase();
  const config = testConfig(env);
  const app = createApp({ config, db: await testDatabase(), log: pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }) });
  return { app, config, http: request(app.listener) };
}
