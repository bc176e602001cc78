// What a TCP connection still has on its way to the viewer, and how much of it may wait unsent.
// Node reports only its own buffer and sets no TCP option beyond Nagle and keep-alive; the
// kernel's queue (sent but not acknowledged, and not yet sent) is what puts a slow viewer behind
// live, and only these calls can see and bound it. Linux only: camdash runs without this module
// elsewhere.
#include <errno.h>
#include <linux/sockios.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <node_api.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

static napi_value set_number(napi_env env, napi_value object, const char *name, double value) {
  napi_value number;
  napi_create_double(env, value, &number);
  napi_set_named_property(env, object, name, number);
  return object;
}

static int read_fd(napi_env env, napi_callback_info info, int32_t *fd) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 1 || napi_get_value_int32(env, argv[0], fd) != napi_ok) {
    napi_throw_type_error(env, NULL, "a file descriptor is needed");
    return 0;
  }
  return 1;
}

// queuedBytes(fd) -> bytes not yet acknowledged: one system call, asked for every frame of every viewer.
static napi_value queued_bytes(napi_env env, napi_callback_info info) {
  int32_t fd;
  if (!read_fd(env, info, &fd)) return NULL;
  int queued = 0;
  if (ioctl(fd, SIOCOUTQ, &queued) != 0) {
    napi_throw_error(env, NULL, strerror(errno));
    return NULL;
  }
  napi_value result;
  napi_create_int32(env, queued, &result);
  return result;
}

// sendQueue(fd) -> { queuedBytes, unsentBytes, deliveryBytesPerSecond, minRttMicros, segmentBytes, lastAckMs, lastSendMs }
static napi_value send_queue(napi_env env, napi_callback_info info) {
  int32_t fd;
  if (!read_fd(env, info, &fd)) return NULL;
  int queued = 0;
  int unsent = 0;
  if (ioctl(fd, SIOCOUTQ, &queued) != 0 || ioctl(fd, SIOCOUTQNSD, &unsent) != 0) {
    napi_throw_error(env, NULL, strerror(errno));
    return NULL;
  }
  napi_value result;
  napi_create_object(env, &result);
  set_number(env, result, "queuedBytes", queued);
  set_number(env, result, "unsentBytes", unsent);
  struct tcp_info tcp;
  socklen_t length = sizeof tcp;
  memset(&tcp, 0, sizeof tcp);
  if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &tcp, &length) != 0) {
    napi_throw_error(env, NULL, strerror(errno));
    return NULL;
  }
  set_number(env, result, "deliveryBytesPerSecond", (double)tcp.tcpi_delivery_rate);
  set_number(env, result, "minRttMicros", tcp.tcpi_min_rtt);
  set_number(env, result, "segmentBytes", tcp.tcpi_snd_mss);
  set_number(env, result, "lastAckMs", tcp.tcpi_last_ack_recv);
  set_number(env, result, "lastSendMs", tcp.tcpi_last_data_sent);
  return result;
}

static int read_fd_and_int(napi_env env, napi_callback_info info, int32_t *fd, int32_t *value) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 2 || napi_get_value_int32(env, argv[0], fd) != napi_ok || napi_get_value_int32(env, argv[1], value) != napi_ok) {
    napi_throw_type_error(env, NULL, "a file descriptor and a byte count are needed");
    return 0;
  }
  return 1;
}

// setUnsentLimit(fd, bytes): TCP_NOTSENT_LOWAT, so that back-pressure reaches Node once this much
// waits unsent, instead of the megabytes Linux would otherwise queue for a slow viewer.
static napi_value set_unsent_limit(napi_env env, napi_callback_info info) {
  int32_t fd;
  int32_t bytes;
  if (!read_fd_and_int(env, info, &fd, &bytes)) return NULL;
  int value = bytes;
  if (setsockopt(fd, IPPROTO_TCP, TCP_NOTSENT_LOWAT, &value, sizeof value) != 0) {
    napi_throw_error(env, NULL, strerror(errno));
    return NULL;
  }
  return NULL;
}

// unsentLimit(fd) -> the TCP_NOTSENT_LOWAT in force (0: none), so that tests can see it is set.
static napi_value unsent_limit(napi_env env, napi_callback_info info) {
  int32_t fd;
  if (!read_fd(env, info, &fd)) return NULL;
  int value = 0;
  socklen_t length = sizeof value;
  if (getsockopt(fd, IPPROTO_TCP, TCP_NOTSENT_LOWAT, &value, &length) != 0) {
    napi_throw_error(env, NULL, strerror(errno));
    return NULL;
  }
  napi_value result;
  napi_create_int32(env, value, &result);
  return result;
}

NAPI_MODULE_INIT() {
  napi_value function;
  napi_create_function(env, "queuedBytes", NAPI_AUTO_LENGTH, queued_bytes, NULL, &function);
  napi_set_named_property(env, exports, "queuedBytes", function);
  napi_create_function(env, "sendQueue", NAPI_AUTO_LENGTH, send_queue, NULL, &function);
  napi_set_named_property(env, exports, "sendQueue", function);
  napi_create_function(env, "setUnsentLimit", NAPI_AUTO_LENGTH, set_unsent_limit, NULL, &function);
  napi_set_named_property(env, exports, "setUnsentLimit", function);
  napi_create_function(env, "unsentLimit", NAPI_AUTO_LENGTH, unsent_limit, NULL, &function);
  napi_set_named_property(env, exports, "unsentLimit", function);
  return exports;
}
