#ifndef CXMAP_CRYPTO_H
#define CXMAP_CRYPTO_H

#include <stdint.h>

/// An expanded AES-128 encryption key: 11 round keys of 16 bytes, 16-byte aligned.
typedef struct __attribute__((aligned(16))) {
    uint8_t roundKeys[11 * 16];
    int useHardware;
} CXMap_AES128;

/// Expands a 16-byte key. Chooses AES-NI when the CPU has it.
void CXMap_aes128_init(CXMap_AES128 *ctx, const uint8_t key[16]);

/// Encrypts one 16-byte block (in and out may alias).
void CXMap_aes128_encrypt(const CXMap_AES128 *ctx, const uint8_t in[16], uint8_t out[16]);

/// Forces the portable implementation (for tests that compare both paths).
void CXMap_aes128_force_software(CXMap_AES128 *ctx, int software);

/// 1 when the CPU supports AES-NI.
int CXMap_aes_hardware_available(void);

#endif
