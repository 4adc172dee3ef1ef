'use strict';

const os = require('node:os');

/** Describes the machine the function runs on: hostname, platform, CPUs, memory and uptime (`?verbose=true` lists CPUs). */
module.exports = async (event) => {
  const cpus = os.cpus();
  const info = {
    hostname: os.hostname(),
    platform: os.platform(),
    arch: os.arch(),
    release: os.release(),
    node: process.version,
    cpus: cpus.length,
    memory: { total: os.totalmem(), free: os.freemem() },
    uptime: { system: Math.round(os.uptime()), process: Math.round(process.uptime()) },
  };
  if (event.query.verbose === 'true') info.cpuModels = cpus.map((c) => ({ model: c.model, speed: c.speed }));
  return info;
};
