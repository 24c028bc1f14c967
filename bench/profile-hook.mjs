// Preloaded by bench/profile.ts (`node --import ./bench/profile-hook.mjs server.js`): the first
// SIGUSR2 starts V8's CPU profiler, the second stops it and writes the profile to
// $PROFILE_OUT, so the profile holds the steady state under load only (not start-up, not the
// modules' compilation). Nothing else changes in the server.
import fs from "node:fs";
import { Session } from "node:inspector";

const session = new Session();
session.connect();
const post = (method, params) =>
  new Promise((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))));
let running = false;
process.on("SIGUSR2", async () => {
  try {
    if (!running) {
      running = true;
      await post("Profiler.enable");
      await post("Profiler.setSamplingInterval", { interval: 500 });
      await post("Profiler.start");
      console.error("profile-hook: started");
    } else {
      running = false;
      const { profile } = await post("Profiler.stop");
      fs.writeFileSync(process.env.PROFILE_OUT ?? "profile.cpuprofile", JSON.stringify(profile));
      console.error("profile-hook: written");
    }
  } catch (error) {
    console.error("profile-hook:", error);
  }
});
