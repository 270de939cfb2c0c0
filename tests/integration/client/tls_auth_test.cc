// SPDX-License-Identifier: Apache-2.0
// TLS (with a throwaway CA made by the openssl command) and password authentication, both on,
// against cqlsim on 127.0.23.x.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "cqlbulk/core/log.h"
#include "sim_fixture.h"

namespace cqlbulk::client {
namespace {

using test::ConnectSync;
using test::ExecuteSync;
using ::cqlbulk::testing::HasMessage;
using ::cqlbulk::testing::IsError;

constexpr const char* kPassword = "pa55-w0rd-never-logged";

class CapturingLogger : public Logger {
 public:
  bool Enabled(LogLevel) const override { return true; }
  void Log(LogLevel, std::string_view message) override {
    std::lock_guard<std::mutex> lock(mu_);
    text_ += std::string(message) + "\n";
  }
  std::string text() const {
    std::lock_guard<std::mutex> lock(mu_);
    return text_;
  }

 private:
  mutable std::mutex mu_;
  std::string text_;
};

bool RunCommand(const std::string& command) { return std::system((command + " >/dev/null 2>&1").c_str()) == 0; }

class TlsAuthTest : public test::SimClusterTest {
 protected:
  static void SetUpTestSuite() {
    SetLogger(&logger_);
    dir_ = std::filesystem::temp_directory_path() /
           ("cqlbulk_client_tls_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    std::string d = dir_.string() + "/";
    std::ofstream(d + "server.ext")
        << "subjectAltName=IP:127.0.23.1,IP:127.0.23.2,IP:127.0.23.3\n";
    auto make_ca = [&](const std::string& name) {
      return RunCommand("openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=" + name +
                 " -keyout " + d + name + ".key -out " + d + name + ".pem");
    };
    auto make_cert = [&](const std::string& name, const std::string& ext) {
      return RunCommand("openssl req -newkey rsa:2048 -nodes -subj /CN=" + name + " -keyout " + d + name +
                 ".key -out " + d + name + ".csr") &&
             RunCommand("openssl x509 -req -days 1 -in " + d + name + ".csr -CA " + d + "ca.pem -CAkey " +
                 d + "ca.key -CAcreateserial -out " + d + name + ".pem" +
                 (ext.empty() ? "" : " -extfile " + d + ext));
    };
    ASSERT_TRUE(make_ca("ca") && make_ca("otherca") && make_cert("server", "server.ext") &&
                make_cert("client", ""))
        << "the openssl command failed";
    sim::ClusterOptions options = test::SimOptions("127.0.23.1");
    options.tls = sim::TlsConfig{.cert_file = d + "server.pem",
                                 .key_file = d + "server.key",
                                 .ca_file = d + "ca.pem",
                                 .require_client_auth = true};
    options.server.users = {{"cassandra", kPassword}};
    StartCluster(options);
  }
  static void TearDownTestSuite() {
    StopCluster();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    SetLogger(nullptr);
  }

  static SessionOptions Options(const std::string& password, const std::string& ca = "ca") {
    SessionOptions options = test::ClientOptions("127.0.23.1");
    std::string d = dir_.string() + "/";
    options.tls = TlsOptions{.ca_file = d + ca + ".pem",
                             .cert_file = d + "client.pem",
                             .key_file = d + "client.key",
                             .verify = true,
                             .verify_hostname = true};
    if (!password.empty()) options.credentials = Credentials{"cassandra", password};
    return options;
  }

  static inline std::filesystem::path dir_;
  static inline CapturingLogger logger_;
};

TEST_F(TlsAuthTest, RightCredentialsAndTrustedCertificateWork) {
  auto session = ConnectSync(Options(kPassword));

  ASSERT_TRUE(session.has_value()) << session.error().ToString();
  CQLBULK_ASSERT_OK_AND_ASSIGN(ResultPage page,
                               ExecuteSync(**session, "SELECT cluster_name FROM system.local"));
  EXPECT_EQ(test::DecodeRows(page).size(), 1u);
  for (const HostStats& h : (*session)->host_stats()) EXPECT_GE(h.num_connections, 1u);
}

TEST_F(TlsAuthTest, WrongPasswordFailsFastWithAClearMessage) {
  auto start = std::chrono::steady_clock::now();

  auto session = ConnectSync(Options("wrong-password"));

  EXPECT_THAT(session, IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(session, HasMessage("authentication failed for user cassandra"));
  EXPECT_EQ(session.error().message().find("wrong-password"), std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST_F(TlsAuthTest, MissingPasswordFailsFast) {
  auto session = ConnectSync(Options(""));

  EXPECT_THAT(session, IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(session, HasMessage("requires authentication"));
}

TEST_F(TlsAuthTest, UntrustedCertificateFailsNamingTheHost) {
  auto session = ConnectSync(Options(kPassword, "otherca"));

  EXPECT_THAT(session, IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(session, HasMessage("TLS certificate of 127.0.23.1:9042"));
}

TEST_F(TlsAuthTest, ACertificateThatDoesNotNameTheHostIsRefusedUnlessAskedNotToCheck) {
  // The same trusted certificate (it names 127.0.23.1-3) served by a node at 127.0.23.9.
  sim::ClusterOptions options = test::SimOptions("127.0.23.9", 1);
  std::string d = dir_.string() + "/";
  options.tls.emplace();
  options.tls->cert_file = d + "server.pem";
  options.tls->key_file = d + "server.key";
  auto other = sim::Cluster::Start(options);
  ASSERT_TRUE(other.has_value()) << other.error().ToString();
  SessionOptions checked = Options("");
  checked.contact_points = {"127.0.23.9"};
  SessionOptions unchecked = checked;
  unchecked.tls->verify_hostname = false;

  auto refused = ConnectSync(checked);
  auto accepted = ConnectSync(unchecked);

  EXPECT_THAT(refused, IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(refused, HasMessage("TLS certificate of 127.0.23.9:9042 does not name host"));
  ASSERT_TRUE(accepted.has_value()) << accepted.error().ToString();
  (*accepted)->Close();
  CQLBULK_ASSERT_OK((*other)->Stop());
}

TEST_F(TlsAuthTest, ThePasswordNeverAppearsInLogsOrErrors) {
  auto good = ConnectSync(Options(kPassword));
  ASSERT_TRUE(good.has_value());
  CQLBULK_ASSERT_OK(cluster()->StopNode(1));
  CQLBULK_ASSERT_OK(cluster()->StartNode(1));
  (*good)->Close();

  EXPECT_EQ(logger_.text().find(kPassword), std::string::npos);
}

}  // namespace
}  // namespace cqlbulk::client
