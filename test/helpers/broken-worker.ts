// A worker script that throws while loading, like otr.js without a CSPRNG.
throw new Error('Keys should not be generated without CSPRNG.');
