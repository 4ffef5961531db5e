#pragma once
// Shared by the ingest tests that publish over CURVE (zmq_ingest_limits_test, zmq_ingest_grants_test): a PUB socket
// with its own context that connects to an ingest as a CURVE client with the given key pair.

#include <gtest/gtest.h>
#include <zmq.h>

#include <cstddef>
#include <string>
#include <vector>

#include "greentwin/connectors/curve_keys.hpp"

namespace gt::connectors::testing {

struct CurvePub {
  void* ctx = zmq_ctx_new();
  void* sock = zmq_socket(ctx, ZMQ_PUB);
  CurvePub(const std::string& serverPublicKey, const KeyPair& keys, const std::string& endpoint) {
    const int linger = 0;
    zmq_setsockopt(sock, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(sock, ZMQ_CURVE_SERVERKEY, serverPublicKey.c_str(), serverPublicKey.size() + 1);
    zmq_setsockopt(sock, ZMQ_CURVE_PUBLICKEY, keys.publicKey.c_str(), keys.publicKey.size() + 1);
    zmq_setsockopt(sock, ZMQ_CURVE_SECRETKEY, keys.secretKey.c_str(), keys.secretKey.size() + 1);
    EXPECT_EQ(zmq_connect(sock, endpoint.c_str()), 0);
  }
  ~CurvePub() {
    zmq_close(sock);
    zmq_ctx_term(ctx);
  }
  CurvePub(const CurvePub&) = delete;
  CurvePub& operator=(const CurvePub&) = delete;

  // One multipart message of these frames.
  void sendFrames(const std::vector<std::vector<std::byte>>& frames) {
    for (std::size_t i = 0; i < frames.size(); ++i) {
      zmq_send(sock, frames[i].data(), frames[i].size(), i + 1 < frames.size() ? ZMQ_SNDMORE : 0);
    }
  }
};

}  // namespace gt::connectors::testing
