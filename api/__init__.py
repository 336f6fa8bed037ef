"""The landlords' API (/api/v1/): Django REST framework over the domain services."""
