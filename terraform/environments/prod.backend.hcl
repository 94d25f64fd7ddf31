# tofu init -reconfigure -backend-config=environments/prod.backend.hcl
bucket = "your-admin-project-id-shopstream-tfstate" # bootstrap output state_bucket
prefix = "env/prod"
