# tofu init -reconfigure -backend-config=environments/dev.backend.hcl
bucket = "your-admin-project-id-shopstream-tfstate" # bootstrap output state_bucket
prefix = "env/dev"
