// AES-128 encryption (FIPS-197), written for xmap.
// The portable path derives its S-box from the GF(2^8) inverse and the affine map at first use;
// on x86-64 with AES-NI the round function runs in hardware.
#include "CXMapCrypto.h"
#include <string.h>
#include <pthread.h>

static uint8_t sbox[256];
static pthread_once_t sboxOnce = PTHREAD_ONCE_INIT;

static uint8_t gmul(uint8_t a, uint8_t b) {
    uint8_t p = 0;
    while (b) {
        if (b & 1) p ^= a;
        uint8_t hi = a & 0x80;
        a <<= 1;
        if (hi) a ^= 0x1b;
        b >>= 1;
    }
    return p;
}

static uint8_t rotl8(uint8_t x, int s) { return (uint8_t)((x << s) | (x >> (8 - s))); }

static void buildSbox(void) {
    for (int i = 0; i < 256; i++) {
        uint8_t inv = 0;
        if (i != 0) {
            for (int j = 1; j < 256; j++) {
                if (gmul((uint8_t)i, (uint8_t)j) == 1) { inv = (uint8_t)j; break; }
            }
        }
        sbox[i] = inv ^ rotl8(inv, 1) ^ rotl8(inv, 2) ^ rotl8(inv, 3) ^ rotl8(inv, 4) ^ 0x63;
    }
}

static void expandSoftware(uint8_t rk[176], const uint8_t key[16]) {
    memcpy(rk, key, 16);
    uint8_t rcon = 1;
    for (int i = 4; i < 44; i++) {
        uint8_t t[4];
        memcpy(t, rk + 4 * (i - 1), 4);
        if (i % 4 == 0) {
            uint8_t first = t[0];
            t[0] = sbox[t[1]] ^ rcon;
            t[1] = sbox[t[2]];
            t[2] = sbox[t[3]];
            t[3] = sbox[first];
            rcon = gmul(rcon, 2);
        }
        for (int k = 0; k < 4; k++) rk[4 * i + k] = rk[4 * (i - 4) + k] ^ t[k];
    }
}

static void encryptSoftware(const uint8_t rk[176], const uint8_t in[16], uint8_t out[16]) {
    uint8_t s[16];
    for (int i = 0; i < 16; i++) s[i] = in[i] ^ rk[i];
    for (int round = 1; round <= 10; round++) {
        uint8_t t[16];
        // SubBytes + ShiftRows (state is column-major: s[4*c + r]).
        for (int c = 0; c < 4; c++)
            for (int r = 0; r < 4; r++) t[4 * c + r] = sbox[s[4 * ((c + r) & 3) + r]];
        if (round != 10) {
            for (int c = 0; c < 4; c++) {
                uint8_t a0 = t[4 * c], a1 = t[4 * c + 1], a2 = t[4 * c + 2], a3 = t[4 * c + 3];
                uint8_t all = a0 ^ a1 ^ a2 ^ a3;
                t[4 * c + 0] = a0 ^ all ^ gmul(a0 ^ a1, 2);
                t[4 * c + 1] = a1 ^ all ^ gmul(a1 ^ a2, 2);
                t[4 * c + 2] = a2 ^ all ^ gmul(a2 ^ a3, 2);
                t[4 * c + 3] = a3 ^ all ^ gmul(a3 ^ a0, 2);
            }
        }
        for (int i = 0; i < 16; i++) s[i] = t[i] ^ rk[16 * round + i];
    }
    memcpy(out, s, 16);
}

#if defined(__x86_64__)
#include <cpuid.h>
#include <wmmintrin.h>
#include <emmintrin.h>

int CXMap_aes_hardware_available(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    return (c & bit_AES) != 0;
}

__attribute__((target("aes,sse2")))
static void encryptHardware(const uint8_t rk[176], const uint8_t in[16], uint8_t out[16]) {
    const __m128i *k = (const __m128i *)rk;
    __m128i s = _mm_loadu_si128((const __m128i *)in);
    s = _mm_xor_si128(s, _mm_load_si128(k));
    for (int i = 1; i < 10; i++) s = _mm_aesenc_si128(s, _mm_load_si128(k + i));
    s = _mm_aesenclast_si128(s, _mm_load_si128(k + 10));
    _mm_storeu_si128((__m128i *)out, s);
}
#else
int CXMap_aes_hardware_available(void) { return 0; }
static void encryptHardware(const uint8_t rk[176], const uint8_t in[16], uint8_t out[16]) {
    encryptSoftware(rk, in, out);
}
#endif

void CXMap_aes128_init(CXMap_AES128 *ctx, const uint8_t key[16]) {
    pthread_once(&sboxOnce, buildSbox);
    // The round keys are the same for both paths; only the round function differs.
    expandSoftware(ctx->roundKeys, key);
    ctx->useHardware = CXMap_aes_hardware_available();
}

void CXMap_aes128_force_software(CXMap_AES128 *ctx, int software) {
    ctx->useHardware = software ? 0 : CXMap_aes_hardware_available();
}

void CXMap_aes128_encrypt(const CXMap_AES128 *ctx, const uint8_t in[16], uint8_t out[16]) {
    if (ctx->useHardware) encryptHardware(ctx->roundKeys, in, out);
    else encryptSoftware(ctx->roundKeys, in, out);
}
