// The two pairings' towers are one generic tower over their own F_p² (see ITowerBaseField).
global using Bn254Fp6 = Thalamus.Crypto.Fp6<Thalamus.Crypto.Bn254Fp2>;
global using Bn254Fp12 = Thalamus.Crypto.Fp12<Thalamus.Crypto.Bn254Fp2>;
global using Bls12381Fp6 = Thalamus.Crypto.Fp6<Thalamus.Crypto.Bls12381Fp2>;
global using Bls12381Fp12 = Thalamus.Crypto.Fp12<Thalamus.Crypto.Bls12381Fp2>;
