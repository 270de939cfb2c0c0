// SPDX-License-Identifier: Apache-2.0
// The connection start-up as scripted exchanges, with every server answer replaced in turn.
#include "cqlbulk/client/handshake.h"

#include "cqlbulk/cql/protocol/messages.h"
#include "scripted_server.h"
#include "testing/matchers.h"

namespace cqlbulk::client {
namespace {

using Kind = HandshakeAction::Kind;

cql::Frame Answer(int version, cql::Response response) {
  auto bytes = cql::EncodeResponseFrame(response, {.protocol_version = version});
  EXPECT_TRUE(bytes.has_value());
  auto header = cql::DecodeFrameHeader(*bytes);
  return cql::Frame{*header, Bytes(bytes->begin() + cql::kFrameHeaderSize, bytes->end())};
}

cql::Frame Supported() {
  return Answer(5, cql::SupportedResponse{{{"COMPRESSION", {"snappy", "lz4"}}}});
}

cql::Frame ServerError(int version, cql::ErrorResponseCode code, std::string message) {
  cql::ErrorResponse error;
  error.code = static_cast<int32_t>(code);
  error.message = std::move(message);
  return Answer(version, error);
}

HandshakeOptions Options() {
  return {.protocol_version = 5, .may_downgrade = true, .compression = cql::Compression::kLz4,
          .credentials = Credentials{"alice", "secret"}, .keyspace = "", .host = "h:9042"};
}

TEST(HandshakeTest, OptionsStartupAuthenticateReady) {
  Handshake handshake(Options());

  HandshakeAction a = handshake.Start();
  ASSERT_EQ(a.kind, Kind::kSend);
  EXPECT_TRUE(std::holds_alternative<cql::OptionsRequest>(a.request));
  a = handshake.OnResponse(Supported());
  ASSERT_EQ(a.kind, Kind::kSend);
  const auto& startup = std::get<cql::StartupRequest>(a.request);
  EXPECT_NE(std::find(startup.options.begin(), startup.options.end(),
                      std::pair<std::string, std::string>{"COMPRESSION", "lz4"}),
            startup.options.end());
  a = handshake.OnResponse(Answer(5, cql::AuthenticateResponse{"PasswordAuthenticator"}));
  ASSERT_EQ(a.kind, Kind::kSend);
  const auto& auth = std::get<cql::AuthResponseRequest>(a.request);
  EXPECT_EQ(*auth.token, (Bytes{0, 'a', 'l', 'i', 'c', 'e', 0, 's', 'e', 'c', 'r', 'e', 't'}));
  a = handshake.OnResponse(Answer(5, cql::AuthSuccessResponse{}));
  EXPECT_EQ(a.kind, Kind::kReady);
  EXPECT_EQ(a.version, 5);
}

TEST(HandshakeTest, StepsDownOnAProtocolErrorToTheFirstMessage) {
  Handshake handshake(Options());
  (void)handshake.Start();

  HandshakeAction a = handshake.OnResponse(
      ServerError(4, cql::ErrorResponseCode::kProtocolError, "Invalid or unsupported protocol version (5)"));

  EXPECT_EQ(a.kind, Kind::kRetryWithVersion);
  EXPECT_EQ(a.version, 4);
}

TEST(HandshakeTest, AFixedVersionIsNotSteppedDown) {
  HandshakeOptions options = Options();
  options.may_downgrade = false;
  Handshake handshake(options);
  (void)handshake.Start();

  HandshakeAction a = handshake.OnResponse(
      ServerError(4, cql::ErrorResponseCode::kProtocolError, "unsupported protocol version"));

  ASSERT_EQ(a.kind, Kind::kFail);
  EXPECT_EQ(a.error->code(), ErrorCode::kInvalidArgument);
}

TEST(HandshakeTest, BadCredentialsNameTheUserNotThePassword) {
  Handshake handshake(Options());
  (void)handshake.Start();
  (void)handshake.OnResponse(Supported());
  (void)handshake.OnResponse(Answer(5, cql::AuthenticateResponse{"PasswordAuthenticator"}));

  HandshakeAction a = handshake.OnResponse(
      ServerError(5, cql::ErrorResponseCode::kBadCredentials, "Provided username and/or password are incorrect"));

  ASSERT_EQ(a.kind, Kind::kFail);
  EXPECT_EQ(a.error->code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(a.error->message().find("authentication failed for user alice"), std::string::npos);
  EXPECT_EQ(a.error->message().find("secret"), std::string::npos);
  EXPECT_NE(a.error->message().find("h:9042"), std::string::npos);
}

TEST(HandshakeTest, AuthenticationWithoutCredentialsFails) {
  HandshakeOptions options = Options();
  options.credentials.reset();
  Handshake handshake(options);
  (void)handshake.Start();
  (void)handshake.OnResponse(Supported());

  HandshakeAction a = handshake.OnResponse(Answer(5, cql::AuthenticateResponse{"X"}));

  ASSERT_EQ(a.kind, Kind::kFail);
  EXPECT_EQ(a.error->code(), ErrorCode::kInvalidArgument);
}

TEST(HandshakeTest, V4KeyspaceIsSetWithUse) {
  HandshakeOptions options = Options();
  options.protocol_version = 4;
  options.keyspace = "my\"ks";
  options.credentials.reset();
  Handshake handshake(options);
  (void)handshake.Start();
  (void)handshake.OnResponse(Supported());

  HandshakeAction a = handshake.OnResponse(Answer(4, cql::ReadyResponse{}));

  ASSERT_EQ(a.kind, Kind::kSend);
  EXPECT_EQ(std::get<cql::QueryRequest>(a.request).query, "USE \"my\"\"ks\"");
  EXPECT_EQ(handshake.OnResponse(Answer(4, cql::ResultResponse{cql::SetKeyspaceResult{"my\"ks"}})).kind,
            Kind::kReady);
}

// Replace each answer of the happy path, in turn, by each wrong answer: the handshake must
// fail (or step down) with an Error, never reach READY and never crash.
TEST(HandshakeTest, AWrongAnswerAtEveryStepFailsCleanly) {
  std::vector<cql::Frame> script = {Supported(),
                                    Answer(5, cql::AuthenticateResponse{"PasswordAuthenticator"}),
                                    Answer(5, cql::AuthSuccessResponse{})};
  std::vector<cql::Frame> wrong = {
      Answer(5, cql::ReadyResponse{}),
      ServerError(5, cql::ErrorResponseCode::kServerError, "boom"),
      Answer(5, cql::ResultResponse{cql::VoidResult{}}),
      Answer(5, cql::AuthChallengeResponse{}),
      cql::Frame{{.version = 5, .is_response = true, .flags = 0, .stream = 0,
                  .opcode = cql::Opcode::kSupported, .length = 3},
                 Bytes{0, 1, 2}},  // truncated
  };
  for (size_t step = 0; step < script.size(); ++step) {
    for (size_t w = 0; w < wrong.size(); ++w) {
      Handshake handshake(Options());
      HandshakeAction a = handshake.Start();
      for (size_t i = 0; i <= step && a.kind == Kind::kSend; ++i) {
        a = handshake.OnResponse(i == step ? wrong[w] : script[i]);
      }
      // A READY in place of AUTHENTICATE is legitimate (no authentication needed).
      if (step == 1 && w == 0) {
        EXPECT_EQ(a.kind, Kind::kReady);
        continue;
      }
      EXPECT_NE(a.kind, Kind::kReady) << "step " << step << " answer " << w;
      if (a.kind == Kind::kFail) {
        EXPECT_TRUE(a.error.has_value());
      }
    }
  }
}

}  // namespace
}  // namespace cqlbulk::client
