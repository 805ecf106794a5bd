from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def meeting_list(request):
    return HttpResponse("会议材料")


meeting_open = meeting_detail = meeting_state = section_edit = follow_up_add = meeting_list
