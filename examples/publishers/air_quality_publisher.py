#!/usr/bin/env python3
"""Feeds GreenTwin from Python: publishes air-quality readings (PM2.5, PM10, O3, NO2) for the demo's stations
over the wire protocol (docs/protocol.md), JSON payload. Uses only Debian's python3-zmq.

    /usr/bin/python3 examples/publishers/air_quality_publisher.py --endpoint tcp://127.0.0.1:5556 --connect \
        --interval 1.0 --count 60

With `--connect`, the script connects to a twin whose [[sources]] entry binds (bind = true); without it, the
script binds and the twin connects. The values are synthetic: a diurnal cycle plus noise, per station.
"""
import argparse
import json
import math
import random
import sys
import time

import zmq

STATIONS = [f"city-aq-stations/aq-{i:02d}" for i in range(1, 13)]
POLLUTANTS = {  # name: (mean, diurnal amplitude, unit)
    "pm25": (38.0, 14.0, "ug/m3"),
    "pm10": (62.0, 20.0, "ug/m3"),
    "o3": (70.0, 35.0, "ug/m3"),
    "no2": (32.0, 12.0, "ug/m3"),
}


def readings(now_s, rng):
    hour = (now_s / 3600.0 + 8.0) % 24.0  # Beijing local time
    for k, station in enumerate(STATIONS):
        for name, (mean, amplitude, unit) in POLLUTANTS.items():
            # Ozone peaks in the afternoon, the others with the morning and evening traffic.
            phase = 15.0 if name == "o3" else 8.0
            value = mean + amplitude * math.cos((hour - phase) / 24.0 * 2.0 * math.pi) + rng.gauss(0.0, 3.0) + k
            yield {"entity": station, "attribute": name, "value": round(max(value, 0.0), 1), "unit": unit}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", default="tcp://127.0.0.1:5556")
    parser.add_argument("--connect", action="store_true", help="connect to a binding twin instead of binding")
    parser.add_argument("--publisher", default="py-air-quality")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between messages")
    parser.add_argument("--count", type=int, default=0, help="messages to send; 0 = until interrupted")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    context = zmq.Context()
    socket = context.socket(zmq.PUB)
    socket.setsockopt(zmq.LINGER, 1000)
    (socket.connect if args.connect else socket.bind)(args.endpoint)
    rng = random.Random(args.seed)
    sequence = 0
    try:
        while args.count == 0 or sequence < args.count:
            sequence += 1
            now_s = time.time()
            envelope = {"v": 1, "publisher": args.publisher, "seq": sequence, "ts_us": int(now_s * 1e6),
                        "schema": "air.station", "schema_version": 1, "encoding": "json",
                        "interval_s": args.interval}
            payload = list(readings(now_s, rng))
            socket.send_multipart([b"air.station", json.dumps(envelope).encode(), json.dumps(payload).encode()])
            time.sleep(args.interval)
    except KeyboardInterrupt:
        pass
    finally:
        socket.close()
        context.term()
    return 0


if __name__ == "__main__":
    sys.exit(main())
