// node run.mjs [cluster endpoint, default http://127.0.0.1:9545] (after npm ci here): runs rtc-sample.mjs.
import * as ethers from 'ethers';
import { rtcSample } from './rtc-sample.mjs';

const clusterUrl = process.argv[2] ?? 'http://127.0.0.1:9545';
const { rtc } = await rtcSample(ethers, { clusterUrl });
process.exit(rtc.status === 'ACK' ? 0 : 1);
