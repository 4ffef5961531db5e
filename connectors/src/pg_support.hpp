#pragma once
// Connectors-private: libpq for the PostgreSQL history (pg_history*.cpp). One connection with its named prepared
// statements (prepared on first use, again after a reconnect), binary parameters and results (int8 and bytea as
// bytes: no text round trip of blocks), one-dimensional arrays as binary parameters (a batch of blocks in one
// statement), and errors that name the database (never the password of the conninfo) with the server's SQLSTATE.
//
// Threads: one Connection is used by one thread at a time (the HistoryStore's).

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "greentwin/core/status.hpp"

namespace gt::connectors::pg {

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

// PostgreSQL type oids of the array elements we send.
inline constexpr std::uint32_t kInt2Oid = 21;
inline constexpr std::uint32_t kInt4Oid = 23;
inline constexpr std::uint32_t kInt8Oid = 20;
inline constexpr std::uint32_t kByteaOid = 17;
inline constexpr std::uint32_t kFloat8Oid = 701;

// Big-endian integers, as PostgreSQL's binary format has them.
void putBigEndian(std::string& out, std::uint64_t v, int bytes);
std::int64_t readBigEndian(const char* p, int bytes);

// Binary parameters of one statement, in order.
class Params {
 public:
  Params& int8(std::int64_t v);
  Params& int4(std::int32_t v);
  Params& int2(std::int16_t v);
  Params& bytes(std::span<const std::uint8_t> v);
  Params& bytes(const std::string& v) { return raw(v); }
  Params& raw(std::string v);  // an already encoded binary value (an array below)
  int size() const { return static_cast<int>(values_.size()); }
  void pointers(std::vector<const char*>& values, std::vector<int>& lengths) const;

 private:
  std::vector<std::string> values_;
};

// A binary one-dimensional array of a fixed-width integer type, float8 or bytea, built element by element.
class ArrayBuilder {
 public:
  explicit ArrayBuilder(std::uint32_t elementOid) : oid_(elementOid) {}
  void integer(std::int64_t v, int bytes);
  void bytes(std::span<const std::uint8_t> v);
  void float8(double v);
  std::string finish() const;  // the array's binary form
  std::int32_t size() const { return count_; }
  void clear() {
    body_.clear();
    count_ = 0;
  }

 private:
  std::uint32_t oid_;
  std::string body_;
  std::int32_t count_ = 0;
};

// The rows of a binary COPY (header, tuples, trailer), built field by field: begin a row with its field count.
class CopyRows {
 public:
  void row(int fields);
  void int8(std::int64_t v);
  void float8(double v);
  void raw(const std::string& v);  // an already encoded binary value (an ArrayBuilder's array)
  std::size_t rows() const { return rows_; }
  bool empty() const { return rows_ == 0; }
  std::string finish() const;  // the whole COPY body
  void clear() {
    body_.clear();
    rows_ = 0;
  }

 private:
  std::string body_;
  std::size_t rows_ = 0;
};

// "PostgreSQL history '<dbname>' on <host>:<port>" of a connection (connected: what it is connected to) or of a
// conninfo; never its password.
std::string describe(PGconn* conn, const std::string& conninfo);

class Connection {
 public:
  Connection() = default;
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Connects (a libpq conninfo: "host=... dbname=..." or a postgresql:// URI). IoError naming the database.
  Status open(const std::string& conninfo);
  // After a lost connection: PQreset, prepared statements forgotten. True when connected again.
  bool reconnect();
  bool connected() const;
  PGconn* raw() const { return conn_; }
  // "PostgreSQL history <dbname> on <host>:<port>": what errors name (no password).
  const std::string& where() const { return where_; }

  // A statement without parameters or results (BEGIN, DDL). Binary results otherwise.
  Status exec(const std::string& sql, const char* what);
  // The named statement (prepared once per connection from `sql`) with binary parameters and binary results:
  // rows (PGRES_TUPLES_OK) or a command (PGRES_COMMAND_OK); anything else is an error naming `what`.
  Result<ResultPtr> run(const char* name, const char* sql, const Params& params, const char* what);
  // COPY ... FROM STDIN (FORMAT binary) of `sql` with `rows` (the binary COPY body of CopyRows), in one exchange.
  Status copyIn(const char* sql, const std::string& rows, const char* what);
  // A one-off statement with text results (catalog queries at open).
  Result<ResultPtr> query(const std::string& sql, const char* what);

  // Whether the last error was of a passing kind (see Failure) and its SQLSTATE ("" when none).
  bool lastErrorTransient() const { return lastTransient_; }
  // Before work whose failure may not come from the server (then it must not read as the last one's kind).
  void clearLastError() {
    lastTransient_ = false;
    lastState_.clear();
  }
  const std::string& lastSqlState() const { return lastState_; }

 private:
  Status fail(const PGresult* r, const char* what);

  PGconn* conn_ = nullptr;
  std::string where_;
  std::set<std::string> prepared_;
  bool lastTransient_ = false;
  std::string lastState_;
};

}  // namespace gt::connectors::pg
