/*
 * libotr-peer: a libotr 4.1 chat peer driven over stdin/stdout, for interop
 * tests of our OTR layer against the reference implementation.
 *
 * Usage: libotr-peer <private-key-file> <instag-file>
 *   The key file is read when it exists, otherwise generated with
 *   otrl_privkey_generate (and then reused by later runs). The instance tag
 *   file is always generated fresh.
 *
 * One command per input line; free text is hex-encoded UTF-8 ("-" = empty).
 *   recv <hex>              feed one wire message from the peer
 *   send <hex>              send a chat message (encrypted when private)
 *   query                   send an OTR query (start the AKE)
 *   end                     end the private conversation
 *   smp <secret> [<q>]      start SMP, with an optional question
 *   smp-respond <secret>    answer the peer's SMP request
 *   smp-abort               abort SMP
 *   mms <n>                 max message size for fragmentation (0 = none)
 *   policy <hex>            OTR policy bits (OTRL_POLICY_*; default MANUAL = v2|v3),
 *                           e.g. 2 = v2 only, a = v2 + require encryption
 *   fingerprint             -> "fingerprint <ours> <theirs|->"
 *   tags                    -> "tags <our> <their> <version> <msgstate>"
 *   symkey <use> <data|->   take the extra symmetric key (otrl_message_symkey: a TLV 8 in
 *                           an otherwise empty data message); use is 8 hex digits, data
 *                           hex bytes -> "symkey-sent <use> <key>"
 *   quit
 * Every command is answered, after its other output, by "ok <command>".
 *
 * Events on stdout, one per line:
 *   ready <fingerprint> <our-instag>
 *   wire <hex>                  a message to put on the wire
 *   msg <0|1> <hex>             a message for the user; 1 = arrived encrypted
 *   secure <their-instag> <v>   gone secure (new private conversation)
 *   still-secure                refreshed private conversation
 *   insecure                    gone insecure
 *   ended                       the peer ended the private conversation
 *   smp <ask-secret|ask-answer <q>|success|failure|abort|cheated|error|progress <n>>
 *   event <name> <hex|->        libotr message event
 *   symkey-received <use> <data|-> <key>
 *                               the peer asked us to take the extra symmetric key (TLV 8)
 *   error <text>
 * Fingerprints are 40 uppercase hex digits without spaces; tags and uses are %08x;
 * binary data (use data, 32-byte keys) is lowercase hex of its bytes ("-" = none).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gcrypt.h>
#include <libotr/proto.h>
#include <libotr/context.h>
#include <libotr/instag.h>
#include <libotr/message.h>
#include <libotr/privkey.h>
#include <libotr/tlv.h>
#include <libotr/userstate.h>

#define ACCOUNT "libotr@interop"
#define PROTOCOL "interop"
#define PEER "ours@interop"

static OtrlUserState us;
static int max_msg_size = 0;
static OtrlPolicy policy = OTRL_POLICY_MANUAL;
static const char *instag_file;
static const char *key_file;

static void put_hex(const char *s) {
  if (!s || !*s) {
    fputs("-", stdout);
    return;
  }
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) printf("%02x", *p);
}

/* Binary data as lowercase hex, "-" when empty. */
static void put_bytes(const unsigned char *p, size_t n) {
  if (!p || n == 0) {
    fputs("-", stdout);
    return;
  }
  for (size_t i = 0; i < n; i++) printf("%02x", p[i]);
}

/* Decode hex in place; "-" is the empty string. Returns NULL on bad input. */
static char *from_hex(char *s) {
  if (!s) return NULL;
  if (strcmp(s, "-") == 0) {
    s[0] = '\0';
    return s;
  }
  size_t n = strlen(s);
  if (n % 2) return NULL;
  for (size_t i = 0; i < n / 2; i++) {
    unsigned int v;
    if (sscanf(s + 2 * i, "%2x", &v) != 1) return NULL;
    s[i] = (char)v;
  }
  s[n / 2] = '\0';
  return s;
}

static void fp_hex(const unsigned char fp[20], char out[41]) {
  for (int i = 0; i < 20; i++) sprintf(out + 2 * i, "%02X", fp[i]);
  out[40] = '\0';
}

static ConnContext *best_context(void) {
  return otrl_context_find(us, PEER, ACCOUNT, PROTOCOL, OTRL_INSTAG_BEST, 0, NULL, NULL, NULL);
}

/* ---- application callbacks ---- */

static OtrlPolicy op_policy(void *opdata, ConnContext *context) {
  (void)opdata;
  (void)context;
  return policy;
}

static void op_create_privkey(void *opdata, const char *accountname, const char *protocol) {
  (void)opdata;
  otrl_privkey_generate(us, key_file, accountname, protocol);
}

static int op_is_logged_in(void *opdata, const char *a, const char *p, const char *r) {
  (void)opdata;
  (void)a;
  (void)p;
  (void)r;
  return 1;
}

static void op_inject(void *opdata, const char *a, const char *p, const char *r, const char *message) {
  (void)opdata;
  (void)a;
  (void)p;
  (void)r;
  if (!message || !*message) return;
  fputs("wire ", stdout);
  put_hex(message);
  fputs("\n", stdout);
}

static void op_noop(void *opdata) { (void)opdata; }

static void op_new_fingerprint(void *opdata, OtrlUserState u, const char *a, const char *p, const char *user,
                               unsigned char fp[20]) {
  (void)opdata;
  (void)u;
  (void)a;
  (void)p;
  (void)user;
  char hex[41];
  fp_hex(fp, hex);
  printf("new-fingerprint %s\n", hex);
}

static void op_gone_secure(void *opdata, ConnContext *context) {
  (void)opdata;
  printf("secure %08x %u\n", context->their_instance, context->protocol_version);
}

static void op_gone_insecure(void *opdata, ConnContext *context) {
  (void)opdata;
  (void)context;
  printf("insecure\n");
}

static void op_still_secure(void *opdata, ConnContext *context, int is_reply) {
  (void)opdata;
  (void)context;
  (void)is_reply;
  printf("still-secure\n");
}

static int op_max_message_size(void *opdata, ConnContext *context) {
  (void)opdata;
  (void)context;
  return max_msg_size;
}

static const char *op_account_name(void *opdata, const char *account, const char *protocol) {
  (void)opdata;
  (void)protocol;
  return account;
}

static void op_account_name_free(void *opdata, const char *name) {
  (void)opdata;
  (void)name;
}

static const char *op_error_message(void *opdata, ConnContext *context, OtrlErrorCode code) {
  (void)opdata;
  (void)context;
  const char *text = "An OTR error has occurred.";
  switch (code) {
    case OTRL_ERRCODE_ENCRYPTION_ERROR: text = "Error occurred encrypting message."; break;
    case OTRL_ERRCODE_MSG_NOT_IN_PRIVATE: text = "You sent encrypted data to a peer who wasn't expecting it."; break;
    case OTRL_ERRCODE_MSG_UNREADABLE: text = "You transmitted an unreadable encrypted message."; break;
    case OTRL_ERRCODE_MSG_MALFORMED: text = "You transmitted a malformed data message."; break;
    default: break;
  }
  return strdup(text);
}

static void op_error_message_free(void *opdata, const char *msg) {
  (void)opdata;
  free((void *)msg);
}

static const char *op_resent_prefix(void *opdata, ConnContext *context) {
  (void)opdata;
  (void)context;
  return "[resent]";
}

static void op_resent_prefix_free(void *opdata, const char *prefix) {
  (void)opdata;
  (void)prefix;
}

static void op_smp_event(void *opdata, OtrlSMPEvent event, ConnContext *context, unsigned short progress,
                         char *question) {
  (void)opdata;
  /* libotr's own trust in the peer's key once SMP succeeded: "smp", or "-" when it set none. */
  const char *trust = context && context->active_fingerprint && context->active_fingerprint->trust &&
                      context->active_fingerprint->trust[0] ? context->active_fingerprint->trust : "-";
  switch (event) {
    case OTRL_SMPEVENT_ASK_FOR_SECRET: printf("smp ask-secret\n"); break;
    case OTRL_SMPEVENT_ASK_FOR_ANSWER:
      fputs("smp ask-answer ", stdout);
      put_hex(question);
      fputs("\n", stdout);
      break;
    case OTRL_SMPEVENT_SUCCESS: printf("smp success %s\n", trust); break;
    case OTRL_SMPEVENT_FAILURE: printf("smp failure\n"); break;
    case OTRL_SMPEVENT_ABORT: printf("smp abort\n"); break;
    case OTRL_SMPEVENT_CHEATED: printf("smp cheated\n"); break;
    case OTRL_SMPEVENT_ERROR: printf("smp error\n"); break;
    case OTRL_SMPEVENT_IN_PROGRESS: printf("smp progress %u\n", progress); break;
    default: break;
  }
}

static const char *msg_event_name(OtrlMessageEvent e) {
  switch (e) {
    case OTRL_MSGEVENT_ENCRYPTION_REQUIRED: return "encryption-required";
    case OTRL_MSGEVENT_ENCRYPTION_ERROR: return "encryption-error";
    case OTRL_MSGEVENT_CONNECTION_ENDED: return "connection-ended";
    case OTRL_MSGEVENT_SETUP_ERROR: return "setup-error";
    case OTRL_MSGEVENT_MSG_REFLECTED: return "msg-reflected";
    case OTRL_MSGEVENT_MSG_RESENT: return "msg-resent";
    case OTRL_MSGEVENT_RCVDMSG_NOT_IN_PRIVATE: return "rcvd-not-in-private";
    case OTRL_MSGEVENT_RCVDMSG_UNREADABLE: return "rcvd-unreadable";
    case OTRL_MSGEVENT_RCVDMSG_MALFORMED: return "rcvd-malformed";
    case OTRL_MSGEVENT_LOG_HEARTBEAT_RCVD: return "heartbeat-rcvd";
    case OTRL_MSGEVENT_LOG_HEARTBEAT_SENT: return "heartbeat-sent";
    case OTRL_MSGEVENT_RCVDMSG_GENERAL_ERR: return "rcvd-general-error";
    case OTRL_MSGEVENT_RCVDMSG_UNENCRYPTED: return "rcvd-unencrypted";
    case OTRL_MSGEVENT_RCVDMSG_UNRECOGNIZED: return "rcvd-unrecognized";
    case OTRL_MSGEVENT_RCVDMSG_FOR_OTHER_INSTANCE: return "rcvd-for-other-instance";
    default: return "none";
  }
}

static void op_msg_event(void *opdata, OtrlMessageEvent event, ConnContext *context, const char *message,
                         gcry_error_t err) {
  (void)opdata;
  (void)context;
  printf("event %s ", msg_event_name(event));
  put_hex(message);
  if (err) printf(" %s", gcry_strerror(err));
  fputs("\n", stdout);
}

static void op_received_symkey(void *opdata, ConnContext *context, unsigned int use, const unsigned char *usedata,
                               size_t usedatalen, const unsigned char *symkey) {
  (void)opdata;
  (void)context;
  printf("symkey-received %08x ", use);
  put_bytes(usedata, usedatalen);
  fputs(" ", stdout);
  put_bytes(symkey, OTRL_EXTRAKEY_BYTES);
  fputs("\n", stdout);
}

static void op_create_instag(void *opdata, const char *accountname, const char *protocol) {
  (void)opdata;
  otrl_instag_generate(us, instag_file, accountname, protocol);
}

static void op_timer_control(void *opdata, unsigned int interval) {
  (void)opdata;
  (void)interval;
}

static OtrlMessageAppOps ops;

static void init_ops(void) {
  memset(&ops, 0, sizeof ops);
  ops.policy = op_policy;
  ops.create_privkey = op_create_privkey;
  ops.is_logged_in = op_is_logged_in;
  ops.inject_message = op_inject;
  ops.update_context_list = op_noop;
  ops.new_fingerprint = op_new_fingerprint;
  ops.write_fingerprints = op_noop;
  ops.gone_secure = op_gone_secure;
  ops.gone_insecure = op_gone_insecure;
  ops.still_secure = op_still_secure;
  ops.max_message_size = op_max_message_size;
  ops.account_name = op_account_name;
  ops.account_name_free = op_account_name_free;
  ops.otr_error_message = op_error_message;
  ops.otr_error_message_free = op_error_message_free;
  ops.resent_msg_prefix = op_resent_prefix;
  ops.resent_msg_prefix_free = op_resent_prefix_free;
  ops.handle_smp_event = op_smp_event;
  ops.handle_msg_event = op_msg_event;
  ops.create_instag = op_create_instag;
  ops.received_symkey = op_received_symkey;
  ops.timer_control = op_timer_control;
}

/* ---- commands ---- */

static void cmd_recv(char *wire) {
  char *out = NULL;
  OtrlTLV *tlvs = NULL;
  ConnContext *ctx = NULL;
  int ignore = otrl_message_receiving(us, &ops, NULL, ACCOUNT, PROTOCOL, PEER, wire, &out, &tlvs, &ctx, NULL, NULL);
  if (!ignore) {
    int encrypted = strncmp(wire, "?OTR:", 5) == 0 || strncmp(wire, "?OTR|", 5) == 0 || strncmp(wire, "?OTR,", 5) == 0;
    printf("msg %d ", encrypted);
    put_hex(out ? out : wire);
    fputs("\n", stdout);
  }
  /* libotr leaves telling the user about a received end to the application. */
  if (tlvs && otrl_tlv_find(tlvs, OTRL_TLV_DISCONNECTED)) printf("ended\n");
  if (out) otrl_message_free(out);
  if (tlvs) otrl_tlv_free(tlvs);
}

static void cmd_send(const char *text) {
  char *out = NULL;
  ConnContext *ctx = NULL;
  gcry_error_t err = otrl_message_sending(us, &ops, NULL, ACCOUNT, PROTOCOL, PEER, OTRL_INSTAG_BEST, text, NULL, &out,
                                          OTRL_FRAGMENT_SEND_ALL, &ctx, NULL, NULL);
  if (err) {
    printf("error sending: %s\n", gcry_strerror(err));
  } else if (!out) {
    /* Not changed by libotr (plaintext): send it as it is. */
    op_inject(NULL, ACCOUNT, PROTOCOL, PEER, text);
  }
  if (out) otrl_message_free(out);
}

static void cmd_query(void) {
  char *q = otrl_proto_default_query_msg(ACCOUNT, policy);
  op_inject(NULL, ACCOUNT, PROTOCOL, PEER, q);
  free(q);
}

static void cmd_end(void) {
  ConnContext *ctx = best_context();
  if (!ctx) {
    printf("error no context\n");
    return;
  }
  otrl_message_disconnect(us, &ops, NULL, ACCOUNT, PROTOCOL, PEER, ctx->their_instance);
}

static void cmd_smp(char *secret, char *question, int respond) {
  ConnContext *ctx = best_context();
  if (!ctx || ctx->msgstate != OTRL_MSGSTATE_ENCRYPTED) {
    printf("error smp needs an encrypted context\n");
    return;
  }
  size_t len = strlen(secret);
  if (respond)
    otrl_message_respond_smp(us, &ops, NULL, ctx, (const unsigned char *)secret, len);
  else if (question)
    otrl_message_initiate_smp_q(us, &ops, NULL, ctx, question, (const unsigned char *)secret, len);
  else
    otrl_message_initiate_smp(us, &ops, NULL, ctx, (const unsigned char *)secret, len);
}

/* `use` is 8 hex digits; `data` hex bytes, or "-" for none (decoded in place). */
static void cmd_symkey(const char *use_hex, char *data) {
  char *end = NULL;
  if (!use_hex || strlen(use_hex) != 8 || !data) {
    printf("error symkey needs <use: 8 hex digits> <data hex|->\n");
    return;
  }
  unsigned long use = strtoul(use_hex, &end, 16);
  size_t len = strcmp(data, "-") == 0 ? 0 : strlen(data) / 2;
  if (*end || !from_hex(data)) {
    printf("error symkey: bad use or data\n");
    return;
  }
  ConnContext *ctx = best_context();
  if (!ctx || ctx->msgstate != OTRL_MSGSTATE_ENCRYPTED) {
    printf("error symkey needs an encrypted context\n");
    return;
  }
  unsigned char key[OTRL_EXTRAKEY_BYTES];
  gcry_error_t err =
      otrl_message_symkey(us, &ops, NULL, ctx, (unsigned int)use, (const unsigned char *)data, len, key);
  if (err) {
    printf("error symkey: %s\n", gcry_strerror(err));
    return;
  }
  printf("symkey-sent %08x ", (unsigned int)use);
  put_bytes(key, sizeof key);
  fputs("\n", stdout);
}

static void cmd_fingerprint(void) {
  char ours[OTRL_PRIVKEY_FPRINT_HUMAN_LEN];
  char compact[41];
  int j = 0;
  if (!otrl_privkey_fingerprint(us, ours, ACCOUNT, PROTOCOL)) {
    printf("error no private key\n");
    return;
  }
  for (int i = 0; ours[i] && j < 40; i++)
    if (ours[i] != ' ') compact[j++] = ours[i];
  compact[j] = '\0';
  ConnContext *ctx = best_context();
  if (ctx && ctx->active_fingerprint && ctx->active_fingerprint->fingerprint) {
    char theirs[41];
    fp_hex(ctx->active_fingerprint->fingerprint, theirs);
    printf("fingerprint %s %s\n", compact, theirs);
  } else {
    printf("fingerprint %s -\n", compact);
  }
}

static void cmd_tags(void) {
  OtrlInsTag *tag = otrl_instag_find(us, ACCOUNT, PROTOCOL);
  ConnContext *ctx = best_context();
  printf("tags %08x %08x %u %d\n", tag ? tag->instag : 0, ctx ? ctx->their_instance : 0,
         ctx ? ctx->protocol_version : 0, ctx ? (int)ctx->msgstate : -1);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s <private-key-file> <instag-file>\n", argv[0]);
    return 2;
  }
  key_file = argv[1];
  instag_file = argv[2];
  setvbuf(stdout, NULL, _IOLBF, 0);

  OTRL_INIT;
  us = otrl_userstate_create();
  init_ops();

  if (access(key_file, R_OK) == 0) {
    if (otrl_privkey_read(us, key_file)) {
      fprintf(stderr, "cannot read key file %s\n", key_file);
      return 1;
    }
  }
  if (!otrl_privkey_find(us, ACCOUNT, PROTOCOL)) {
    if (otrl_privkey_generate(us, key_file, ACCOUNT, PROTOCOL)) {
      fprintf(stderr, "cannot generate key file %s\n", key_file);
      return 1;
    }
  }
  /* An existing instance tag file is kept (a restart, as Pidgin keeps otr.instance_tags). */
  if (access(instag_file, R_OK) == 0) otrl_instag_read(us, instag_file);
  if (!otrl_instag_find(us, ACCOUNT, PROTOCOL) && otrl_instag_generate(us, instag_file, ACCOUNT, PROTOCOL)) {
    fprintf(stderr, "cannot generate instance tag file %s\n", instag_file);
    return 1;
  }

  {
    char ours[OTRL_PRIVKEY_FPRINT_HUMAN_LEN];
    char compact[41];
    int j = 0;
    otrl_privkey_fingerprint(us, ours, ACCOUNT, PROTOCOL);
    for (int i = 0; ours[i] && j < 40; i++)
      if (ours[i] != ' ') compact[j++] = ours[i];
    compact[j] = '\0';
    OtrlInsTag *tag = otrl_instag_find(us, ACCOUNT, PROTOCOL);
    printf("ready %s %08x\n", compact, tag ? tag->instag : 0);
  }

  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  while ((n = getline(&line, &cap, stdin)) > 0) {
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
    char *save = NULL;
    char *cmd = strtok_r(line, " ", &save);
    if (!cmd) continue;
    char *a1 = strtok_r(NULL, " ", &save);
    char *a2 = strtok_r(NULL, " ", &save);
    if (strcmp(cmd, "recv") == 0 && from_hex(a1)) {
      cmd_recv(a1);
    } else if (strcmp(cmd, "send") == 0 && from_hex(a1)) {
      cmd_send(a1);
    } else if (strcmp(cmd, "query") == 0) {
      cmd_query();
    } else if (strcmp(cmd, "end") == 0) {
      cmd_end();
    } else if (strcmp(cmd, "smp") == 0 && from_hex(a1)) {
      cmd_smp(a1, a2 ? from_hex(a2) : NULL, 0);
    } else if (strcmp(cmd, "smp-respond") == 0 && from_hex(a1)) {
      cmd_smp(a1, NULL, 1);
    } else if (strcmp(cmd, "smp-abort") == 0) {
      ConnContext *ctx = best_context();
      if (ctx) otrl_message_abort_smp(us, &ops, NULL, ctx);
    } else if (strcmp(cmd, "mms") == 0 && a1) {
      max_msg_size = atoi(a1);
    } else if (strcmp(cmd, "policy") == 0 && a1) {
      policy = (OtrlPolicy)strtoul(a1, NULL, 16);
    } else if (strcmp(cmd, "fingerprint") == 0) {
      cmd_fingerprint();
    } else if (strcmp(cmd, "tags") == 0) {
      cmd_tags();
    } else if (strcmp(cmd, "symkey") == 0) {
      cmd_symkey(a1, a2);
    } else if (strcmp(cmd, "quit") == 0) {
      printf("ok quit\n");
      break;
    } else {
      printf("error bad command %s\n", cmd);
    }
    printf("ok %s\n", cmd);
  }
  free(line);
  otrl_userstate_free(us);
  return 0;
}
