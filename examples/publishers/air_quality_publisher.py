#!/usr/bin/env python3
"""Feeds GreenTwin from Python: publishes air-quality readings (PM2.5, PM10, O3, NO2) for the demo's stations
over the wire protocol (docs/protocol.md), JSON payload. Uses only Debian's python3-zmq.

    /usr/bin/python3 examples/publishers/air_quality_publisher.py --endpoint tcp://127.0.0.1:5556 --connect \
        --interval 1.0 --count 60

With `--connect`, the script connects to a twin whose [[sources]] entry binds (bind = true); without it, the
script binds and the twin connects. The values are synthetic: a diurnal cycle plus noise, per station.

CURVE (the twin's default, docs/security.md): give the twin's public key file and this publisher's key file, both
made by `greentwin keys`:

    ... --server-key keys/twin.pub --key-file keys/aq-feed.key

Without them the script speaks plain ZeroMQ, which only a source with security = "none" accepts.
"""
import argparse
import json
import math
import random
import sys
import time
import tomllib

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


def read_key_file(path, need_secret):
    """Reads a GreenTwin key file (docs/security.md): name, public, secret (Z85 text)."""
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except OSError as e:
        sys.exit(f"{path}: cannot read the key file: {e.strerror}")
    except tomllib.TOMLDecodeError as e:
        sys.exit(f"{path}: not a GreenTwin key file: {e}")
    for key in ("public",) + (("secret",) if need_secret else ()):
        value = data.get(key)
        if not isinstance(value, str) or len(value) != 40:
            what = "missing" if value is None else "not a 40-character Z85 key"
            hint = " (a public-only file? --key-file needs the publisher's own key pair)" if key == "secret" else ""
            sys.exit(f"{path}: '{key}' is {what}{hint}")
    return data


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", default="tcp://127.0.0.1:5556")
    parser.add_argument("--connect", action="store_true", help="connect to a binding twin instead of binding")
    parser.add_argument("--publisher", default="py-air-quality")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between messages")
    parser.add_argument("--count", type=int, default=0, help="messages to send; 0 = until interrupted")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--server-key", help="CURVE: the twin's public key file (twin.pub from `greentwin keys server`)")
    parser.add_argument("--key-file", help="CURVE: this publisher's key pair file (`greentwin keys generate`)")
    args = parser.parse_args()
    if bool(args.server_key) != bool(args.key_file):
        parser.error("CURVE needs both --server-key and --key-file")

    context = zmq.Context()
    socket = context.socket(zmq.PUB)
    socket.setsockopt(zmq.LINGER, 1000)
    if args.server_key:
        if not zmq.has("curve"):
            sys.exit("this libzmq has no CURVE support")
        server = read_key_file(args.server_key, need_secret=False)
        own = read_key_file(args.key_file, need_secret=True)
        socket.curve_serverkey = server["public"].encode()
        socket.curve_publickey = own["public"].encode()
        socket.curve_secretkey = own["secret"].encode()
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
