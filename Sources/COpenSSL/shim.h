// The two digests the notifier signs with, as plain functions over byte buffers (libcrypto's
// EVP API, not the SHA256_* calls that OpenSSL 3 deprecates). Both return 1 on success.
#include <stddef.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

static inline int copenssl_sha256(const void *data, size_t length, unsigned char *out32) {
    static const unsigned char empty[1] = {0};
    unsigned int written = 0;
    int ok = EVP_Digest(length ? data : empty, length, out32, &written, EVP_sha256(), NULL);
    return ok == 1 && written == 32;
}

static inline int copenssl_hmac_sha256(const void *key, size_t keyLength, const void *data, size_t length, unsigned char *out32) {
    static const unsigned char empty[1] = {0};
    unsigned int written = 0;
    // HMAC() takes a NULL key as "no key given", so an empty key gets a real (unread) pointer.
    unsigned char *result = HMAC(EVP_sha256(), keyLength ? key : empty, (int)keyLength, length ? data : empty, length, out32, &written);
    return result != NULL && written == 32;
}
