from django.dispatch import Signal

# Sent, inside the deletion's transaction, before an imported request is deleted
# (arguments: demande, actor). The candidatures app cancels the active candidature.
demande_deleting = Signal()
