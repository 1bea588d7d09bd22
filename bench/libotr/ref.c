/*
 * libotr-ref: the libotr 4.1 reference for `npm run bench` (issue 22), timed in
 * the same run as our built product so that ratios compare like with like.
 *
 * Usage: libotr-ref <keygen n> <ake n> <smp n> <message n>
 *
 * One process, two OtrlUserState (alice, bob). inject_message puts wire text
 * in an in-memory queue; pump() hands each queued message to the other side's
 * otrl_message_receiving until the queue is empty (a zero-latency transport,
 * as bench/shipped/main.ts links its two engines). Timed with
 * clock_gettime(CLOCK_MONOTONIC):
 *   keygen  DSA-1024 with fresh p, q, g (_start/_calculate/_finish, to a tmpfile)
 *   ake     query → both sides encrypted, fresh contexts each time (keys made once, untimed)
 *   smp     initiate (with a question, as ours) → answered at once → success on both sides
 *   turn    one data message after the direction changes (send → plaintext out at the peer)
 *   same    one data message in the same direction
 * Prints one JSON line: {"libotr":…,"gcrypt":…,"keygen":[ms…],"ake":[…],"smp":[…],"turn":[…],"same":[…]}.
 * Exits 1 (with a line on stderr) when a step does not end as it should.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gcrypt.h>
#include <libotr/proto.h>
#include <libotr/context.h>
#include <libotr/instag.h>
#include <libotr/message.h>
#include <libotr/privkey.h>
#include <libotr/userstate.h>

#define PROTOCOL "bench"
#define SECRET "correct horse"
#define QUESTION "which horse?"

typedef struct Side {
  OtrlUserState us;
  const char *account, *peer;
  struct Side *other;
  ConnContext *ctx; /* the encrypted (child) context, from gone_secure */
  int secure, smp_asked, smp_success, smp_bad, received;
  char *last; /* last plaintext received */
} Side;

static Side alice = {.account = "alice@bench", .peer = "bob@bench"};
static Side bob = {.account = "bob@bench", .peer = "alice@bench"};

/* ---- in-memory transport: a FIFO of (recipient, message) ---- */

typedef struct Wire {
  Side *to;
  char *text;
  struct Wire *next;
} Wire;
static Wire *head, *tail;

static void die(const char *what) {
  fprintf(stderr, "libotr-ref: %s\n", what);
  exit(1);
}

static void enqueue(Side *to, const char *text) {
  Wire *w = malloc(sizeof *w);
  if (!w || !(w->text = strdup(text))) die("out of memory");
  w->to = to;
  w->next = NULL;
  if (tail) tail->next = w;
  else head = w;
  tail = w;
}

/* ---- application callbacks (opdata is the Side making the call) ---- */

static OtrlPolicy op_policy(void *opdata, ConnContext *context) {
  (void)opdata;
  (void)context;
  return OTRL_POLICY_MANUAL; /* v2 | v3, as the interop peer */
}

static int op_is_logged_in(void *opdata, const char *a, const char *p, const char *r) {
  (void)opdata, (void)a, (void)p, (void)r;
  return 1;
}

static void op_inject(void *opdata, const char *a, const char *p, const char *r, const char *message) {
  (void)a, (void)p, (void)r;
  if (message && *message) enqueue(((Side *)opdata)->other, message);
}

static void op_noop(void *opdata) { (void)opdata; }

static void op_new_fingerprint(void *opdata, OtrlUserState u, const char *a, const char *p, const char *user,
                               unsigned char fp[20]) {
  (void)opdata, (void)u, (void)a, (void)p, (void)user, (void)fp;
}

static void op_gone_secure(void *opdata, ConnContext *context) {
  Side *s = opdata;
  s->secure = 1;
  s->ctx = context;
}

static void op_gone_insecure(void *opdata, ConnContext *context) {
  (void)context;
  ((Side *)opdata)->secure = 0;
}

static void op_still_secure(void *opdata, ConnContext *context, int is_reply) {
  (void)opdata, (void)context, (void)is_reply;
}

static int op_max_message_size(void *opdata, ConnContext *context) {
  (void)opdata, (void)context;
  return 0; /* no fragmentation */
}

static const char *op_error_message(void *opdata, ConnContext *context, OtrlErrorCode code) {
  (void)opdata, (void)context, (void)code;
  return "error";
}

static void op_free_string(void *opdata, const char *s) { (void)opdata, (void)s; }

static const char *op_resent_prefix(void *opdata, ConnContext *context) {
  (void)opdata, (void)context;
  return "[resent]";
}

static void op_smp_event(void *opdata, OtrlSMPEvent event, ConnContext *context, unsigned short progress,
                         char *question) {
  Side *s = opdata;
  (void)context, (void)progress, (void)question;
  if (event == OTRL_SMPEVENT_ASK_FOR_ANSWER || event == OTRL_SMPEVENT_ASK_FOR_SECRET) s->smp_asked = 1;
  else if (event == OTRL_SMPEVENT_SUCCESS) s->smp_success++;
  else if (event != OTRL_SMPEVENT_IN_PROGRESS) s->smp_bad++;
}

static void op_msg_event(void *opdata, OtrlMessageEvent event, ConnContext *context, const char *message,
                         gcry_error_t err) {
  (void)context;
  /* Heartbeats are normal traffic; anything else means the bench is not measuring what it says. */
  if (event == OTRL_MSGEVENT_LOG_HEARTBEAT_RCVD || event == OTRL_MSGEVENT_LOG_HEARTBEAT_SENT) return;
  fprintf(stderr, "libotr-ref: %s: message event %d %s %s\n", ((Side *)opdata)->account, (int)event,
          message ? message : "", err ? gcry_strerror(err) : "");
  exit(1);
}

static void op_create_instag(void *opdata, const char *accountname, const char *protocol) {
  (void)opdata, (void)accountname, (void)protocol;
  die("instance tag asked for (should exist)");
}

static void op_create_privkey(void *opdata, const char *accountname, const char *protocol) {
  (void)opdata, (void)accountname, (void)protocol;
  die("private key asked for (should exist)");
}

static void op_timer_control(void *opdata, unsigned int interval) { (void)opdata, (void)interval; }

static OtrlMessageAppOps ops = {
    .policy = op_policy,
    .create_privkey = op_create_privkey,
    .is_logged_in = op_is_logged_in,
    .inject_message = op_inject,
    .update_context_list = op_noop,
    .new_fingerprint = op_new_fingerprint,
    .write_fingerprints = op_noop,
    .gone_secure = op_gone_secure,
    .gone_insecure = op_gone_insecure,
    .still_secure = op_still_secure,
    .max_message_size = op_max_message_size,
    .otr_error_message = op_error_message,
    .otr_error_message_free = op_free_string,
    .resent_msg_prefix = op_resent_prefix,
    .resent_msg_prefix_free = op_free_string,
    .handle_smp_event = op_smp_event,
    .handle_msg_event = op_msg_event,
    .create_instag = op_create_instag,
    .timer_control = op_timer_control,
};

/* Hand queued messages over until none is left; answer an SMP question at once (outside the callback). */
static void pump(void) {
  while (head) {
    Wire *w = head;
    head = w->next;
    if (!head) tail = NULL;
    Side *s = w->to;
    char *out = NULL;
    OtrlTLV *tlvs = NULL;
    int ignore =
        otrl_message_receiving(s->us, &ops, s, s->account, PROTOCOL, s->peer, w->text, &out, &tlvs, NULL, NULL, NULL);
    if (!ignore && out) {
      s->received++;
      free(s->last);
      s->last = strdup(out);
    }
    if (out) otrl_message_free(out);
    if (tlvs) otrl_tlv_free(tlvs);
    free(w->text);
    free(w);
    if (s->smp_asked) {
      s->smp_asked = 0;
      otrl_message_respond_smp(s->us, &ops, s, s->ctx, (const unsigned char *)SECRET, strlen(SECRET));
    }
  }
}

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void print_array(const char *name, const double *v, int n) {
  printf(",\"%s\":[", name);
  for (int i = 0; i < n; i++) printf("%s%.4f", i ? "," : "", v[i]);
  printf("]");
}

/* A data message from `from`, timed until its plaintext comes out at the other side. */
static double send_one(Side *from, const char *text) {
  Side *to = from->other;
  int before = to->received;
  char *out = NULL;
  double t = now_ms();
  gcry_error_t err = otrl_message_sending(from->us, &ops, from, from->account, PROTOCOL, from->peer,
                                          OTRL_INSTAG_BEST, text, NULL, &out, OTRL_FRAGMENT_SEND_SKIP, NULL, NULL, NULL);
  if (err || !out || strncmp(out, "?OTR:", 5) != 0) die("message not encrypted");
  enqueue(to, out);
  otrl_message_free(out);
  pump();
  double ms = now_ms() - t;
  if (to->received != before + 1 || strcmp(to->last, text) != 0) die("message lost or mangled");
  return ms;
}

static void setup(Side *s) {
  s->us = otrl_userstate_create();
  FILE *f = tmpfile();
  if (!f || otrl_instag_generate_FILEp(s->us, f, s->account, PROTOCOL)) die("instance tag");
  fclose(f);
  if (!(f = tmpfile()) || otrl_privkey_generate_FILEp(s->us, f, s->account, PROTOCOL)) die("private key");
  fclose(f);
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: %s <keygen n> <ake n> <smp n> <message n>\n", argv[0]);
    return 2;
  }
  int nk = atoi(argv[1]), na = atoi(argv[2]), ns = atoi(argv[3]), nm = atoi(argv[4]);
  if (nk < 1 || na < 1 || ns < 1 || nm < 1) die("counts must be ≥ 1");
  double *keygen = calloc(nk, sizeof(double)), *ake = calloc(na, sizeof(double)), *smp = calloc(ns, sizeof(double));
  double *turn = calloc(nm, sizeof(double)), *same = calloc(nm, sizeof(double));
  if (!keygen || !ake || !smp || !turn || !same) die("out of memory");

  OTRL_INIT;
  alice.other = &bob;
  bob.other = &alice;

  /* (a) Key generation: fresh DSA-1024 p, q, g and key each time, on a scratch user state. */
  OtrlUserState scratch = otrl_userstate_create();
  for (int i = 0; i < nk; i++) {
    void *newkey = NULL;
    FILE *f = tmpfile();
    if (!f) die("tmpfile");
    double t = now_ms();
    if (otrl_privkey_generate_start(scratch, "keygen@bench", PROTOCOL, &newkey) ||
        otrl_privkey_generate_calculate(newkey) || otrl_privkey_generate_finish_FILEp(scratch, newkey, f))
      die("key generation");
    keygen[i] = now_ms() - t;
    fclose(f);
  }
  otrl_userstate_free(scratch);

  setup(&alice);
  setup(&bob);

  /* (b) AKE from alice's query to both sides encrypted; one untimed warm-up, then na timed. */
  for (int i = -1; i < na; i++) {
    otrl_context_forget_all(alice.us);
    otrl_context_forget_all(bob.us);
    alice.secure = bob.secure = 0;
    alice.ctx = bob.ctx = NULL;
    double t = now_ms();
    char *query = otrl_proto_default_query_msg(alice.account, OTRL_POLICY_MANUAL);
    enqueue(&bob, query);
    free(query);
    pump();
    double ms = now_ms() - t;
    if (!alice.secure || !bob.secure || alice.ctx->msgstate != OTRL_MSGSTATE_ENCRYPTED ||
        bob.ctx->msgstate != OTRL_MSGSTATE_ENCRYPTED)
      die("AKE did not end encrypted on both sides");
    if (i >= 0) ake[i] = ms;
  }

  /* (d) Data messages on the last AKE's session: 6 warm-ups, nm turns (alternating), nm one way. */
  for (int i = 0; i < 6; i++) send_one(i % 2 ? &bob : &alice, "warm-up");
  for (int i = 0; i < nm; i++) turn[i] = send_one(i % 2 ? &bob : &alice, "turn");
  send_one(&alice, "warm-up"); /* so that every timed one below follows one from alice */
  for (int i = 0; i < nm; i++) same[i] = send_one(&alice, "same");

  /* (c) SMP on the same session: alice asks, bob answers at once, both see success. */
  for (int i = 0; i < ns; i++) {
    int a0 = alice.smp_success, b0 = bob.smp_success;
    double t = now_ms();
    otrl_message_initiate_smp_q(alice.us, &ops, &alice, alice.ctx, QUESTION, (const unsigned char *)SECRET,
                                strlen(SECRET));
    pump();
    smp[i] = now_ms() - t;
    if (alice.smp_success != a0 + 1 || bob.smp_success != b0 + 1 || alice.smp_bad || bob.smp_bad)
      die("SMP did not succeed on both sides");
  }

  printf("{\"libotr\":\"%s\",\"gcrypt\":\"%s\"", otrl_version(), gcry_check_version(NULL));
  print_array("keygen", keygen, nk);
  print_array("ake", ake, na);
  print_array("smp", smp, ns);
  print_array("turn", turn, nm);
  print_array("same", same, nm);
  printf("}\n");

  otrl_userstate_free(alice.us);
  otrl_userstate_free(bob.us);
  free(alice.last);
  free(bob.last);
  free(keygen), free(ake), free(smp), free(turn), free(same);
  return 0;
}
