#pragma once
// A ZeroMQ PUB that connects to a twin's binding source on loopback and sends wire-protocol messages (JSON payload)
// — the publisher side of the tests that feed a real Twin through a real socket. Test thread only.

#include <gtest/gtest.h>
#include <zmq.h>

#include <string>

#include "greentwin/connectors/wire_protocol.hpp"

namespace gt::testing {

class LoopbackPublisher {
 public:
  explicit LoopbackPublisher(const std::string& endpoint) : ctx_(zmq_ctx_new()), sock_(zmq_socket(ctx_, ZMQ_PUB)) {
    const int linger = 0;
    zmq_setsockopt(sock_, ZMQ_LINGER, &linger, sizeof linger);
    EXPECT_EQ(zmq_connect(sock_, endpoint.c_str()), 0);
  }
  ~LoopbackPublisher() {
    zmq_close(sock_);
    zmq_ctx_term(ctx_);
  }
  LoopbackPublisher(const LoopbackPublisher&) = delete;
  LoopbackPublisher& operator=(const LoopbackPublisher&) = delete;

  // Encodes `message` as JSON and sends its three frames.
  void publish(const connectors::Message& message) {
    auto frames = connectors::encodeJson(message);
    ASSERT_TRUE(frames) << frames.status().message();
    zmq_send(sock_, frames->topic.data(), frames->topic.size(), ZMQ_SNDMORE);
    zmq_send(sock_, frames->envelope.data(), frames->envelope.size(), ZMQ_SNDMORE);
    zmq_send(sock_, frames->payload.data(), frames->payload.size(), 0);
  }

 private:
  void* ctx_;
  void* sock_;
};

}  // namespace gt::testing
