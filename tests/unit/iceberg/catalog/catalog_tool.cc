// SPDX-License-Identifier: Apache-2.0
// Drives iceberg::Catalog for catalog_interop_test.py: one operation per run, results as JSON
// on stdout, errors on stderr with an exit code per ErrorCode (3 conflict, 4 not found,
// 5 already exists, 1 otherwise).
//
//   catalog_tool URI NAME list-namespaces [PARENT]
//   catalog_tool URI NAME namespace-exists NS
//   catalog_tool URI NAME create-namespace NS [KEY=VALUE...]
//   catalog_tool URI NAME namespace-properties NS
//   catalog_tool URI NAME list-tables NS
//   catalog_tool URI NAME load TABLE
//   catalog_tool URI NAME create-table TABLE LOCATION
//   catalog_tool URI NAME commit TABLE EXPECTED NEW
//   catalog_tool URI NAME drop TABLE
//   catalog_tool URI NAME commit-loop TABLE COUNT TAG [PAUSE_US]
//     COUNT commits of TAG-0 ... TAG-<COUNT-1>, each reloading and retrying on a conflict,
//     pausing up to PAUSE_US microseconds between the load and the swap (so that concurrent
//     writers race); prints one line "PREVIOUS<TAB>NEW" per commit that landed, and
//     "retries N" on stderr.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "cqlbulk/iceberg/catalog/catalog.h"

namespace {

using cqlbulk::ErrorCode;
using cqlbulk::Status;
using namespace cqlbulk::iceberg;

int Fail(const cqlbulk::Error& error) {
  std::cerr << "error: " << cqlbulk::ErrorCodeName(error.code()) << ": " << error.message()
            << "\n";
  switch (error.code()) {
    case ErrorCode::kConflict:
      return 3;
    case ErrorCode::kNotFound:
      return 4;
    case ErrorCode::kAlreadyExists:
      return 5;
    default:
      return 1;
  }
}

nlohmann::json ToJson(const Namespace& ns) { return nlohmann::json(ns); }

int Run(const std::vector<std::string>& args) {
  if (args.size() < 3) {
    std::cerr << "usage: catalog_tool URI NAME OPERATION [ARGS...]\n";
    return 2;
  }
  auto catalog = OpenCatalog(args[0], args[1]);
  if (!catalog) return Fail(catalog.error());
  Catalog& c = **catalog;
  const std::string& op = args[2];
  auto arg = [&](size_t i) -> const std::string& {
    static const std::string kEmpty;
    return i + 3 < args.size() ? args[i + 3] : kEmpty;
  };
  auto ns_arg = [&](size_t i) { return ParseNamespace(arg(i)); };
  auto id_arg = [&](size_t i) { return TableIdentifier::Parse(arg(i)); };

  if (op == "list-namespaces") {
    Namespace parent;
    if (!arg(0).empty()) {
      auto p = ns_arg(0);
      if (!p) return Fail(p.error());
      parent = *p;
    }
    auto list = c.ListNamespaces(parent);
    if (!list) return Fail(list.error());
    nlohmann::json out = nlohmann::json::array();
    for (const Namespace& ns : *list) out.push_back(ToJson(ns));
    std::cout << out.dump() << "\n";
    return 0;
  }
  if (op == "namespace-exists") {
    auto ns = ns_arg(0);
    if (!ns) return Fail(ns.error());
    auto exists = c.NamespaceExists(*ns);
    if (!exists) return Fail(exists.error());
    std::cout << (*exists ? "true" : "false") << "\n";
    return 0;
  }
  if (op == "create-namespace") {
    auto ns = ns_arg(0);
    if (!ns) return Fail(ns.error());
    NamespaceProperties properties;
    for (size_t i = 4; i < args.size(); ++i) {
      const size_t eq = args[i].find('=');
      properties[args[i].substr(0, eq)] = eq == std::string::npos ? "" : args[i].substr(eq + 1);
    }
    Status s = c.CreateNamespace(*ns, properties);
    return s ? 0 : Fail(s.error());
  }
  if (op == "namespace-properties") {
    auto ns = ns_arg(0);
    if (!ns) return Fail(ns.error());
    auto properties = c.LoadNamespaceProperties(*ns);
    if (!properties) return Fail(properties.error());
    std::cout << nlohmann::json(*properties).dump() << "\n";
    return 0;
  }
  if (op == "list-tables") {
    auto ns = ns_arg(0);
    if (!ns) return Fail(ns.error());
    auto tables = c.ListTables(*ns);
    if (!tables) return Fail(tables.error());
    nlohmann::json out = nlohmann::json::array();
    for (const TableIdentifier& id : *tables) out.push_back(id.ToString());
    std::cout << out.dump() << "\n";
    return 0;
  }
  auto id = id_arg(0);
  if (!id) return Fail(id.error());
  if (op == "load") {
    auto location = c.LoadTable(*id);
    if (!location) return Fail(location.error());
    std::cout << *location << "\n";
    return 0;
  }
  if (op == "create-table") {
    Status s = c.CreateTable(*id, arg(1));
    return s ? 0 : Fail(s.error());
  }
  if (op == "commit") {
    Status s = c.CommitTable(*id, arg(1), arg(2));
    return s ? 0 : Fail(s.error());
  }
  if (op == "drop") {
    Status s = c.DropTable(*id);
    return s ? 0 : Fail(s.error());
  }
  if (op == "commit-loop") {
    const int count = std::stoi(arg(1));
    const int pause_us = arg(3).empty() ? 0 : std::stoi(arg(3));
    int retries = 0;
    for (int i = 0; i < count; ++i) {
      const std::string next = arg(2) + "-" + std::to_string(i);
      while (true) {
        auto current = c.LoadTable(*id);
        if (!current) return Fail(current.error());
        if (pause_us > 0) {
          std::this_thread::sleep_for(std::chrono::microseconds(pause_us * (i % 4) / 3));
        }
        Status s = c.CommitTable(*id, *current, next);
        if (s) {
          std::cout << *current << "\t" << next << "\n" << std::flush;
          break;
        }
        if (s.error().code() != ErrorCode::kConflict) return Fail(s.error());
        ++retries;
      }
    }
    std::cerr << "retries " << retries << "\n";
    return 0;
  }
  std::cerr << "unknown operation '" << op << "'\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) { return Run(std::vector<std::string>(argv + 1, argv + argc)); }
