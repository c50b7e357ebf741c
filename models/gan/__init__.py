"""GAN image editing on the natural image manifold (iGAN, Zhu et al. 2016) with a DCGAN trained here."""
